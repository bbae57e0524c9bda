package dev.rerankers.transformers.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.models.EncoderInput;
import dev.rerankers.transformers.models.SequenceClassifier;

/** A safetensors checkpoint run by this module's Java architectures. */
final class NativeLogits implements LogitsModel {
  private final SequenceClassifier model;

  NativeLogits(SequenceClassifier model) {
    this.model = model;
  }

  @Override
  public float[] logits(PaddedBatch batch) {
    try (NDManager scope = model.weights().manager().newSubManager()) {
      NDArray logits = model.logits(EncoderInput.of(scope, batch));
      return logits.toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  @Override
  public int numLabels() {
    return model.numLabels();
  }

  @Override
  public int vocabSize() {
    return model.encoder().vocabSize();
  }

  @Override
  public int maxLength() {
    return model.encoder().maxLength();
  }

  @Override
  public int typeVocabSize() {
    return model.encoder().typeVocabSize();
  }

  @Override
  public String format() {
    return "safetensors";
  }

  @Override
  public String architecture() {
    return model.architecture();
  }

  @Override
  public String device() {
    return model.weights().placement().deviceName();
  }

  @Override
  public String dtype() {
    return model.weights().placement().dtypeName();
  }

  @Override
  public void close() {
    model.close();
  }
}
