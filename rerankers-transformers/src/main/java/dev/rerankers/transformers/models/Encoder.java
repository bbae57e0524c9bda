package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.nn.Ops;

/**
 * A transformer encoder: token ids to contextual hidden states. Implementations are immutable
 * after loading and safe to call from several threads; every intermediate lives in the manager of
 * the inputs.
 */
public interface Encoder {

  /** The last hidden state, [B, L, hidden], in the inputs' manager. */
  NDArray forward(EncoderInput input);

  /**
   * The last hidden state, [B, L, hidden], computed (eager) or recorded (graph) with {@code ops}.
   *
   * @throws UnsupportedOperationException when this architecture is not written against {@link Ops}
   *     ({@link #recordable()} is false)
   */
  default <T> T forward(Ops<T> ops, Inputs<T> input) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " runs on NDArrays only");
  }

  /** Whether {@link #forward(Ops, Inputs)} is implemented, so that a graph can be recorded. */
  default boolean recordable() {
    return false;
  }

  /** The hidden size. */
  int hiddenSize();

  /** The vocabulary size: input ids must be below it. */
  int vocabSize();

  /** The longest input the position scheme allows (absolute positions), or {@code Integer.MAX_VALUE}. */
  int maxLength();

  /** The number of segment types (0 when the model has no token type embedding). */
  int typeVocabSize();

  /** The number of attention heads (estimated as hidden / 64 unless the model says). */
  default int attentionHeads() {
    return Math.max(1, hiddenSize() / 64);
  }

  /**
   * Bytes of the largest fp32 intermediate one input row of {@code length} tokens creates in a
   * layer: the attention scores [heads, L, L] or the feed-forward activation [L, ~4·hidden]. Used
   * to split large batches on CPU.
   */
  default long activationBytesPerRow(int length) {
    return activationBytesPerRow(attentionHeads(), hiddenSize(), length);
  }

  /**
   * {@link #activationBytesPerRow(int)} from the shape alone, for a runtime without the encoder's
   * Java object (the recorded graph).
   */
  static long activationBytesPerRow(int heads, int hiddenSize, int length) {
    return 4L * length * Math.max((long) heads * length, 4L * hiddenSize);
  }
}
