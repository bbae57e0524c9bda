package dev.rerankers.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingTest {

  @Test
  void groupsSimilarLengthsLongestFirstTiesInInputOrder() {
    int[] lengths = {5, 90, 7, 90, 30, 6};
    List<int[]> batches = Batching.plan(lengths, 2, true);
    assertEquals(3, batches.size());
    assertArrayEquals(new int[] {1, 3}, batches.get(0));
    assertArrayEquals(new int[] {4, 2}, batches.get(1));
    assertArrayEquals(new int[] {5, 0}, batches.get(2));
  }

  @Test
  void inputOrderWhenNotSortedWithAShortLastBatch() {
    List<int[]> batches = Batching.plan(new int[] {5, 90, 7, 90, 30, 6}, 4, false);
    assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
    assertArrayEquals(new int[] {4, 5}, batches.get(1));
  }

  @Test
  void longestFirstOverItemsCoversEveryInputOnce() {
    List<String> texts = List.of("a", "abcd", "ab", "abcd", "abc");
    List<int[]> batches = Batching.longestFirst(texts, String::length, 2);
    assertArrayEquals(new int[] {1, 3}, batches.get(0));
    assertArrayEquals(new int[] {4, 2}, batches.get(1));
    assertArrayEquals(new int[] {0}, batches.get(2));
    assertEquals(List.of("abc", "ab"), Batching.select(texts, batches.get(1)));
    assertEquals(List.of(), Batching.longestFirst(List.<String>of(), String::length, 8));
  }

  @Test
  void passesKeepEachUnderTheBudgetInBatchOrder() {
    long budget = 16L << 20;
    List<int[]> passes = Batching.passes(new int[] {7, 3, 9, 1, 4}, budget / 2, budget); // two rows fit
    assertEquals(3, passes.size());
    assertArrayEquals(new int[] {7, 3}, passes.get(0));
    assertArrayEquals(new int[] {9, 1}, passes.get(1));
    assertArrayEquals(new int[] {4}, passes.get(2));
  }

  @Test
  void aRowLargerThanTheBudgetRunsAloneAndNoBudgetNeverSplits() {
    long budget = 16L << 20;
    int[] rows = {0, 1, 2};
    List<int[]> alone = Batching.passes(rows, budget * 4, budget);
    assertEquals(3, alone.size());
    assertArrayEquals(new int[] {2}, alone.get(2));
    assertArrayEquals(rows, Batching.passes(rows, budget * 4, 0).get(0));
    assertEquals(1, Batching.passes(rows, budget * 4, 0).size());
    assertArrayEquals(rows, Batching.passes(rows, 1, budget).get(0));
    assertEquals(3, Batching.rowsPerPass(3, 0, budget));
    assertEquals(1, Batching.rowsPerPass(3, budget * 4, budget));
    assertEquals(0, Batching.passes(new int[0], 1, budget).size());
  }

  @Test
  void rejectsABatchSizeBelowOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Batching.plan(new int[] {1}, 0, true));
    assertEquals("batchSize must be >= 1, got 0", e.getMessage());
  }
}
