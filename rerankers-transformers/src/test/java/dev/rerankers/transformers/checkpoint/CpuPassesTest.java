package dev.rerankers.transformers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
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
}
