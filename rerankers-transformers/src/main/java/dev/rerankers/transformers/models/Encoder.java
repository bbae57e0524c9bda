package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;

/**
 * A transformer encoder: token ids to contextual hidden states. Implementations are immutable
 * after loading and safe to call from several threads; every intermediate lives in the manager of
 * the inputs.
 */
public interface Encoder {

  /** The last hidden state, [B, L, hidden], in the inputs' manager. */
  NDArray forward(EncoderInput input);

  /** The hidden size. */
  int hiddenSize();

  /** The vocabulary size: input ids must be below it. */
  int vocabSize();

  /** The longest input the position scheme allows (absolute positions), or {@code Integer.MAX_VALUE}. */
  int maxLength();

  /** The number of segment types (0 when the model has no token type embedding). */
  int typeVocabSize();
}
