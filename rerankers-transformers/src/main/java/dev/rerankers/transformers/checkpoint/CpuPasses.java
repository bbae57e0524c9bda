package dev.rerankers.transformers.checkpoint;

import dev.rerankers.tokenizers.PaddedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many rows of a batch one forward pass may take on the CPU. Large fresh allocations cost more
 * in page faults than the matmuls they feed (glibc maps each block above its mmap threshold anew;
 * measured: a MiniLM batch of 32 × 160 tokens ran 3× slower per pair than 8 × 160, see
 * docs/transformers.md, "Memory allocator"), so scorers split a batch into consecutive passes whose
 * largest layer intermediate stays under a budget. Rows are independent: splitting changes no
 * score. On a GPU nothing is split.
 *
 * <pre>{@code
 * long budget = CpuPasses.budgetBytes(weights.placement());
 * for (int[] pass : CpuPasses.byLength(padded, encoder::activationBytesPerRow, budget)) {
 *   run(padded.rows(pass[0], pass[1]));
 * }
 * }</pre>
 */
public final class CpuPasses {
  /** The default budget on CPU: 16 MiB per layer intermediate. */
  public static final long DEFAULT_BUDGET_BYTES = 16L << 20;

  /**
   * A CPU pass's fixed cost in tokens of work, for {@link #byLength}: each pass streams the weights
   * again and small passes multiply narrower matrices. Measured on a quiet 2-core machine: MiniCPM-2B's
   * shape (SciFact varied / uniform pairs/s) 0 (one row per pass): 1.63 / 2.4; 64: 1.78 / 2.8; 160:
   * 1.6 / 2.6. MiniLM-L6 and bge-reranker-base on the ONNX graph: 16, 64 and 256 alike.
   */
  public static final int PASS_COST_TOKENS = 64;

  private CpuPasses() {}

  /** {@link #DEFAULT_BUDGET_BYTES} on the CPU; 0 (never split) on a GPU. */
  public static long budgetBytes(Placement placement) {
    return budgetBytes(placement, DEFAULT_BUDGET_BYTES);
  }

  /** {@code cpuBudgetBytes} on the CPU (0 = never split); 0 on a GPU. */
  public static long budgetBytes(Placement placement, long cpuBudgetBytes) {
    return placement.isCpu() ? cpuBudgetBytes : 0;
  }

  /**
   * How many rows one forward pass may take so that no intermediate exceeds {@code budgetBytes}
   * (at least 1; all of them when the budget is 0 or less, i.e. no split).
   *
   * @param rows the rows of the batch
   * @param bytesPerRow the largest intermediate one row creates
   * @param budgetBytes the most bytes one intermediate may take, or 0 for no limit
   */
  public static int rowsPerPass(int rows, long bytesPerRow, long budgetBytes) {
    if (budgetBytes <= 0) {
      return rows;
    }
    return (int) Math.max(1, Math.min(rows, budgetBytes / Math.max(1, bytesPerRow)));
  }

  /**
   * A batch's rows (positions) split into consecutive passes of {@link #rowsPerPass} rows each, in
   * batch order; one pass when nothing needs splitting.
   */
  public static List<int[]> passes(int[] rows, long bytesPerRow, long budgetBytes) {
    int per = Math.max(1, rowsPerPass(rows.length, bytesPerRow, budgetBytes));
    List<int[]> out = new ArrayList<>((rows.length + per - 1) / per);
    for (int from = 0; from < rows.length; from += per) {
      out.add(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + per)));
    }
    return out;
  }

  /**
   * A batch split into consecutive passes of {@link #rowsPerPass} items each (views of {@code
   * batch}, in batch order); the batch itself when nothing needs splitting.
   */
  public static <T> List<List<T>> passes(List<T> batch, long bytesPerRow, long budgetBytes) {
    if (batch.isEmpty()) {
      return List.of();
    }
    int per = Math.max(1, rowsPerPass(batch.size(), bytesPerRow, budgetBytes));
    if (per >= batch.size()) {
      return List.of(batch);
    }
    List<List<T>> out = new ArrayList<>((batch.size() + per - 1) / per);
    for (int from = 0; from < batch.size(); from += per) {
      out.add(batch.subList(from, Math.min(batch.size(), from + per)));
    }
    return out;
  }

  /**
   * A batch split into consecutive passes that pad as little as possible: each pass is padded to
   * its longest row, so a pass that mixes a 500-token row with two 40-token titles computes 1,000
   * tokens of padding, while three passes of one row each would compute none but pay three passes'
   * fixed cost. Chooses the split (by dynamic programming over the rows in batch order) that
   * minimises the padded tokens plus {@code passCostTokens} per pass, with no pass over the budget
   * (a single row always goes). One pass when the budget is 0 or less (no split, e.g. on a GPU).
   *
   * @param lengths each row's length in tokens, in batch order (a batch sorted by length keeps similar rows together)
   * @param bytesPerRow the largest intermediate one row of a given length creates
   * @param budgetBytes the most bytes one intermediate may take, or 0 for no limit
   * @param passCostTokens a pass's fixed cost, in tokens of work
   * @return the passes as {@code [from, to)} ranges of batch positions, in order
   */
  public static List<int[]> byLength(int[] lengths, java.util.function.IntToLongFunction bytesPerRow, long budgetBytes,
      int passCostTokens) {
    int n = lengths.length;
    if (n == 0) {
      return List.of();
    }
    if (budgetBytes <= 0) {
      return List.of(new int[] {0, n});
    }
    // best[j]: the least cost of rows [0, j); cut[j]: where its last pass starts
    long[] best = new long[n + 1];
    int[] cut = new int[n + 1];
    for (int j = 1; j <= n; j++) {
      best[j] = Long.MAX_VALUE;
      int longest = 0;
      for (int i = j - 1; i >= 0; i--) {
        longest = Math.max(longest, lengths[i]);
        int rows = j - i;
        if (rows > 1 && rows * bytesPerRow.applyAsLong(longest) > budgetBytes) {
          break; // longer passes only grow
        }
        long cost = best[i] + (long) rows * longest + passCostTokens;
        if (cost < best[j]) {
          best[j] = cost;
          cut[j] = i;
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int j = n; j > 0; j = cut[j]) {
      out.add(0, new int[] {cut[j], j});
    }
    return out;
  }

  /**
   * {@link #byLength(int[], java.util.function.IntToLongFunction, long, int)} for a padded batch,
   * with {@link #PASS_COST_TOKENS}: each pass as {@link PaddedBatch#rows} cuts it (a row's own length
   * with right padding, the batch's with left padding).
   */
  public static List<int[]> byLength(PaddedBatch batch, java.util.function.IntToLongFunction bytesPerRow,
      long budgetBytes) {
    int[] lengths = batch.lengths();
    if (batch.leftPadded()) {
      Arrays.fill(lengths, batch.length()); // nothing to cut at the end
    }
    return byLength(lengths, bytesPerRow, budgetBytes, PASS_COST_TOKENS);
  }
}
