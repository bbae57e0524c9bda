package dev.rerankers.transformers.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.models.EncoderInput;
import dev.rerankers.transformers.models.SequenceClassifier;
import java.util.List;

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

  /**
   * Runs the batch in passes under the budget, each cut to its own longest row and grouped to pad
   * little ({@link CpuPasses#byLength}); one forward when nothing needs splitting (and on a GPU).
   */
  @Override
  public float[] logits(PaddedBatch batch) {
    List<int[]> passes = CpuPasses.byLength(batch, model.encoder()::activationBytesPerRow, passBytes);
    try (NDManager scope = model.weights().manager().newSubManager()) {
      if (passes.size() == 1) {
        return model.logits(EncoderInput.of(scope, batch)).toType(DataType.FLOAT32, false).toFloatArray();
      }
      float[] out = new float[batch.size() * model.numLabels()];
      for (int[] pass : passes) {
        try (NDManager chunk = scope.newSubManager()) {
          EncoderInput part = EncoderInput.of(chunk, batch.rows(pass[0], pass[1]));
          float[] l = model.logits(part).toType(DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(l, 0, out, pass[0] * model.numLabels(), l.length);
        }
      }
      return out;
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
