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
  void rejectsABatchSizeBelowOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Batching.plan(new int[] {1}, 0, true));
    assertEquals("batchSize must be >= 1, got 0", e.getMessage());
  }
}
