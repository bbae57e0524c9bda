package dev.rerankers.transformers.internal;

import dev.rerankers.InferenceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Checks and splits shared by the rankers of this module before a batch reaches native code. */
final class Batches {
  /** On CPU, the most bytes one layer intermediate of a forward pass may take (16 MiB). */
  static final long CPU_PASS_BYTES = 16L << 20;

  private Batches() {}

  /**
   * A batch's rows split into forward passes whose largest layer intermediate stays under {@link
   * #CPU_PASS_BYTES} on CPU (large fresh allocations cost more in page faults than the work they
   * feed; see docs/transformers.md, "Memory allocator"); the whole batch elsewhere. Rows are
   * independent, so scores do not change.
   *
   * @param bytesPerRow the largest intermediate one row creates
   */
  static List<int[]> passes(int[] rows, long bytesPerRow, boolean cpu) {
    int per = cpu ? (int) Math.max(1, Math.min(rows.length, CPU_PASS_BYTES / Math.max(1, bytesPerRow))) : rows.length;
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < rows.length; from += per) {
      out.add(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + per)));
    }
    return out;
  }

  /**
   * Ids outside the model's embedding table would make the native lookup fail: check them in
   * Java first.
   *
   * @throws InferenceException naming the id and the vocabulary size
   */
  static void checkIds(long[] ids, long vocabSize, String model) {
    for (long id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + model + " (size "
            + vocabSize + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }
}
