package dev.rerankers.transformers.internal;

import dev.rerankers.InferenceException;

/** The check every scorer of this module makes on token ids before a batch reaches native code. */
final class TokenIds {
  private TokenIds() {}

  /**
   * Ids outside the model's embedding table would make the native lookup fail: check them in
   * Java first.
   *
   * @throws InferenceException naming the id and the vocabulary size
   */
  static void requireInVocabulary(long[] ids, long vocabSize, String model) {
    for (long id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + model + " (size "
            + vocabSize + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }
}
