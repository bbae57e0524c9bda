package dev.rerankers.transformers.internal;

import dev.rerankers.tokenizers.PaddedBatch;

/**
 * A sequence classifier in some format (safetensors on the Java runtime, TorchScript, ONNX): padded
 * token ids in, logits out. Implementations free their native memory per call and are safe to
 * call from several threads.
 */
public interface LogitsModel extends AutoCloseable {

  /** Logits, row-major [batch.size(), numLabels()]. */
  float[] logits(PaddedBatch batch);

  /** The number of labels per row. */
  int numLabels();

  /** Ids must be below this (or {@code Integer.MAX_VALUE} when unknown). */
  int vocabSize();

  /** The longest input the model accepts, in tokens. */
  int maxLength();

  /** Segment types the model embeds (0 when it ignores token type ids). */
  int typeVocabSize();

  /** The format, e.g. {@code "safetensors"}. */
  String format();

  /** What computes it: {@code torch} (libtorch) or {@code onnx} (ONNX Runtime). */
  default String runtime() {
    return "torch";
  }

  /** The architecture, e.g. {@code "BertForSequenceClassification"}, when known. */
  String architecture();

  /** The device, e.g. {@code "cpu"}. */
  String device();

  /** The compute dtype, e.g. {@code "fp32"}. */
  String dtype();

  @Override
  void close();
}
