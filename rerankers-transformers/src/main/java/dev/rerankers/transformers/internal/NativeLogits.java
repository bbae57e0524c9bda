package dev.rerankers.transformers.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.models.EncoderInput;
import dev.rerankers.transformers.models.SequenceClassifier;

/** A safetensors checkpoint run by this module's Java architectures. */
final class NativeLogits implements LogitsModel {
  private final SequenceClassifier model;
  private final long passBytes;

  NativeLogits(SequenceClassifier model) {
    this(model, CpuPasses.DEFAULT_BUDGET_BYTES);
  }

  /**
   * {@code cpuBudgetBytes}: on CPU, the largest layer intermediate a forward pass may create (0 =
   * no split); batches on a GPU are never split.
   */
  NativeLogits(SequenceClassifier model, long cpuBudgetBytes) {
    this.model = model;
    this.passBytes = CpuPasses.budgetBytes(model.weights().placement(), cpuBudgetBytes);
  }

  @Override
  public float[] logits(PaddedBatch batch) {
    int rows = rowsPerForward(batch);
    try (NDManager scope = model.weights().manager().newSubManager()) {
      EncoderInput input = EncoderInput.of(scope, batch);
      if (rows >= batch.size()) {
        return model.logits(input).toType(DataType.FLOAT32, false).toFloatArray();
      }
      float[] out = new float[batch.size() * model.numLabels()];
      for (int from = 0; from < batch.size(); from += rows) {
        int to = Math.min(batch.size(), from + rows);
        try (NDManager chunk = scope.newSubManager()) {
          EncoderInput part = input.rows(from, to);
          chunk.tempAttachAll(part.inputIds(), part.attentionMask());
          if (part.tokenTypeIds() != null) {
            chunk.tempAttachAll(part.tokenTypeIds());
          }
          float[] l = model.logits(part).toType(DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(l, 0, out, from * model.numLabels(), l.length);
        }
      }
      return out;
    }
  }

  /** Rows per forward pass such that no layer intermediate exceeds the budget (see {@link CpuPasses}). */
  private int rowsPerForward(PaddedBatch batch) {
    return CpuPasses.rowsPerPass(batch.size(), model.encoder().activationBytesPerRow(batch.length()), passBytes);
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
