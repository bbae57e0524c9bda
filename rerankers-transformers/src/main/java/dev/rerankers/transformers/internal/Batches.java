package dev.rerankers.transformers.internal;

import dev.rerankers.InferenceException;
import dev.rerankers.tokenizers.Encoding;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Batch planning shared by the sequence-to-sequence rankers. */
final class Batches {
  private Batches() {}

  /**
   * Input positions ordered longest first (stable): similar lengths share a batch, so padding is
   * small, and the largest batch runs first.
   */
  static Integer[] longestFirst(List<Encoding> encodings) {
    Integer[] order = new Integer[encodings.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> encodings.get(i).length()).reversed());
    return order;
  }

  /**
   * Ids outside the model's embedding table would make the native lookup fail: check them in
   * Java first.
   *
   * @throws InferenceException naming the id and the vocabulary size
   */
  static void checkIds(long[] ids, int vocabSize, String model) {
    for (long id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + model + " (size "
            + vocabSize + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }
}
