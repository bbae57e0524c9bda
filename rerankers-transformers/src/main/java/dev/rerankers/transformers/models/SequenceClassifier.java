package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.ClassificationHead;
import dev.rerankers.transformers.nn.EagerOps;
import dev.rerankers.transformers.nn.Ops;

/**
 * An encoder with a sequence-classification head ({@code *ForSequenceClassification}), owning its
 * weights. Immutable after loading; safe to call from several threads. Close it to free the
 * weights.
 */
public final class SequenceClassifier implements AutoCloseable {
  private final String architecture;
  private final Encoder encoder;
  private final ClassificationHead head;
  private final Weights weights;

  /** Assembles a classifier; takes ownership of the weights. */
  public SequenceClassifier(String architecture, Encoder encoder, ClassificationHead head, Weights weights) {
    this.architecture = architecture;
    this.encoder = encoder;
    this.head = head;
    this.weights = weights;
  }

  /** Logits [B, labels] in the inputs' manager. */
  public NDArray logits(EncoderInput input) {
    return logits(EagerOps.OPS, Inputs.of(input));
  }

  /** Logits [B, labels] computed or recorded with {@code ops}. */
  public <T> T logits(Ops<T> ops, Inputs<T> input) {
    return head.forward(ops, encoder.forward(ops, input), input.attentionMask());
  }

  /** The transformers class name, e.g. {@code BertForSequenceClassification}. */
  public String architecture() {
    return architecture;
  }

  /** The encoder. */
  public Encoder encoder() {
    return encoder;
  }

  /** The number of labels. */
  public int numLabels() {
    return head.numLabels();
  }

  /** The weights (and their manager: batches open sub-managers of it). */
  public Weights weights() {
    return weights;
  }

  @Override
  public void close() {
    weights.close();
  }
}
