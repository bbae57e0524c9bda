package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.tokenizers.PaddedBatch;

/**
 * One batch's model inputs, int64 [B, L], in the batch's manager.
 *
 * @param inputIds token ids
 * @param attentionMask 1 at tokens, 0 at padding
 * @param tokenTypeIds segment ids, or null when the tokenizer gives none (the model then uses 0)
 */
public record EncoderInput(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {

  /** Arrays for a padded batch, created in {@code manager}. */
  public static EncoderInput of(NDManager manager, PaddedBatch batch) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = manager.create(batch.inputIds(), shape);
    NDArray mask = manager.create(batch.attentionMask(), shape);
    NDArray types = batch.hasTokenTypeIds() ? manager.create(batch.tokenTypeIds(), shape) : null;
    return new EncoderInput(ids, mask, types);
  }

  /** Batch size. */
  public long batchSize() {
    return inputIds.getShape().get(0);
  }

  /** Padded length. */
  public long length() {
    return inputIds.getShape().get(1);
  }
}
