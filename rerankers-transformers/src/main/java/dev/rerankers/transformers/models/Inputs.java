package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;

/**
 * One batch's model inputs as values of an {@link dev.rerankers.transformers.nn.Ops} backend:
 * int64 {@code [B, L]} arrays (eager) or the graph's inputs (recorder).
 *
 * @param inputIds token ids
 * @param attentionMask 1 at tokens, 0 at padding
 * @param tokenTypeIds segment ids, or null when there are none (the model then uses 0)
 * @param <T> the backend's value type
 */
public record Inputs<T>(T inputIds, T attentionMask, T tokenTypeIds) {

  /** The eager inputs of a batch. */
  public static Inputs<NDArray> of(EncoderInput in) {
    return new Inputs<>(in.inputIds(), in.attentionMask(), in.tokenTypeIds());
  }
}
