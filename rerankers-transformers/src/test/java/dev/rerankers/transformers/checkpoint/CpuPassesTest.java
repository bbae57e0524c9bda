package dev.rerankers.transformers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** The CPU pass planner (moved from core's Batching with its tests). */
class CpuPassesTest {

  @Test
  void passesKeepEachUnderTheBudgetInBatchOrder() {
    long budget = 16L << 20;
    List<int[]> passes = CpuPasses.passes(new int[] {7, 3, 9, 1, 4}, budget / 2, budget); // two rows fit
    assertEquals(3, passes.size());
    assertArrayEquals(new int[] {7, 3}, passes.get(0));
    assertArrayEquals(new int[] {9, 1}, passes.get(1));
    assertArrayEquals(new int[] {4}, passes.get(2));
  }

  @Test
  void aRowLargerThanTheBudgetRunsAloneAndNoBudgetNeverSplits() {
    long budget = 16L << 20;
    int[] rows = {0, 1, 2};
    List<int[]> alone = CpuPasses.passes(rows, budget * 4, budget);
    assertEquals(3, alone.size());
    assertArrayEquals(new int[] {2}, alone.get(2));
    assertArrayEquals(rows, CpuPasses.passes(rows, budget * 4, 0).get(0));
    assertEquals(1, CpuPasses.passes(rows, budget * 4, 0).size());
    assertArrayEquals(rows, CpuPasses.passes(rows, 1, budget).get(0));
    assertEquals(3, CpuPasses.rowsPerPass(3, 0, budget));
    assertEquals(1, CpuPasses.rowsPerPass(3, budget * 4, budget));
    assertEquals(0, CpuPasses.passes(new int[0], 1, budget).size());
  }

  @Test
  void listPassesAreConsecutiveViewsAndOnePassWhenNothingSplits() {
    long budget = 16L << 20;
    List<String> batch = List.of("a", "b", "c", "d", "e");
    List<List<String>> passes = CpuPasses.passes(batch, budget / 2, budget);
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")), passes);
    assertSame(batch, CpuPasses.passes(batch, budget * 4, 0).get(0));
    assertEquals(List.of(), CpuPasses.passes(List.of(), 1, budget));
  }

  @Test
  void theDefaultBudgetAppliesOnTheCpuOnly() {
    Placement cpu = Placement.cpu();
    assertEquals(CpuPasses.DEFAULT_BUDGET_BYTES, CpuPasses.budgetBytes(cpu));
    assertEquals(16L << 20, CpuPasses.DEFAULT_BUDGET_BYTES);
    assertEquals(5, CpuPasses.budgetBytes(cpu, 5));
  }

  /** The varied SciFact batch of the MiniCPM benchmark row (prompt lengths, longest first). */
  @Test
  void byLengthKeepsLongRowsApartAndShortOnesTogether() {
    int[] lengths = {568, 495, 490, 410, 93, 77};
    long budget = 16L << 20;
    IntToLongFunction bytes = l -> 9216L * l; // MiniCPM-2B: a row's hidden state, 2304 floats per token
    List<int[]> passes = CpuPasses.byLength(lengths, bytes, budget, 64);
    // 568 with 495 and 490 would pad 151 tokens to save 128 of pass cost; 495 with 490 pads 5 to save 64;
    // 410 alone (with them it would pad 85 to save 64); the titles together
    assertEquals(List.of("0-1", "1-3", "3-4", "4-6"), passes.stream().map(p -> p[0] + "-" + p[1]).toList());
    // rows of nearly equal length share a pass while the budget holds (6 x 264 tokens fit in 16 MiB)
    assertEquals(1, CpuPasses.byLength(new int[] {264, 262, 260, 255, 250, 249}, bytes, budget, 64).size());
    // no budget: one pass (on a GPU nothing is split); no rows: no pass
    assertEquals(1, CpuPasses.byLength(lengths, bytes, 0, 64).size());
    assertEquals(0, CpuPasses.byLength(new int[0], bytes, budget, 64).size());
    // a row above the budget runs alone
    assertEquals(2, CpuPasses.byLength(new int[] {10, 10}, l -> budget + 1, budget, 1000).size());
  }

  /** Against every split of small random batches: the least cost, within the budget, covering every row once. */
  @Test
  void byLengthFindsTheCheapestSplitWithinTheBudget() {
    Random random = new Random(7);
    IntToLongFunction bytes = l -> 1000L * l;
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(9);
      int[] lengths = new int[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = 1 + random.nextInt(600);
      }
      long budget = 1000L * (200 + random.nextInt(2000));
      int passCost = random.nextInt(128);
      List<int[]> passes = CpuPasses.byLength(lengths, bytes, budget, passCost);
      int next = 0;
      long cost = 0;
      for (int[] p : passes) {
        assertEquals(next, p[0]);
        int longest = Arrays.stream(lengths, p[0], p[1]).max().orElseThrow();
        int rows = p[1] - p[0];
        assertTrue(rows == 1 || rows * bytes.applyAsLong(longest) <= budget, "a pass over the budget");
        cost += (long) rows * longest + passCost;
        next = p[1];
      }
      assertEquals(n, next);
      assertEquals(cheapest(lengths, bytes, budget, passCost, 0), cost, "trial " + trial);
    }
  }

  /** Every split, recursively: the reference for the dynamic programme. */
  private static long cheapest(int[] lengths, IntToLongFunction bytes, long budget, int passCost, int from) {
    if (from == lengths.length) {
      return 0;
    }
    long best = Long.MAX_VALUE;
    int longest = 0;
    for (int to = from + 1; to <= lengths.length; to++) {
      longest = Math.max(longest, lengths[to - 1]);
      if (to - from > 1 && (to - from) * bytes.applyAsLong(longest) > budget) {
        break;
      }
      best = Math.min(best, (long) (to - from) * longest + passCost + cheapest(lengths, bytes, budget, passCost, to));
    }
    return best;
  }
}
