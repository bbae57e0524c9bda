package dev.rerankers.colbert.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.InferenceException;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.Encoder;
import dev.rerankers.transformers.models.EncoderInput;
import dev.rerankers.transformers.nn.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * A transformer encoder followed by bias-free (or biased) linear projections, token vectors
 * L2-normalised: ColBERT's {@code linear} after BERT's last hidden state, PyLate's {@code Dense}
 * modules after the sentence-transformers {@code Transformer}. Immutable after loading and safe to
 * call from several threads; each batch's native memory is freed when it returns.
 */
public final class LateInteractionModel implements AutoCloseable {
  private final String name;
  private final Encoder encoder;
  private final List<Linear> projections;
  private final List<Weights> weights;
  private final long padId;
  private final int dim;

  /**
   * Takes ownership of the weights; the first one's manager hosts the batches.
   *
   * @param padId the id written at padding positions
   */
  public LateInteractionModel(String name, Encoder encoder, List<Linear> projections, List<Weights> weights,
      long padId) {
    if (projections.isEmpty()) {
      throw new IllegalArgumentException("a late-interaction model needs a projection");
    }
    long width = encoder.hiddenSize();
    for (Linear p : projections) {
      if (p.inFeatures() != width) {
        throw new dev.rerankers.CheckpointException("a projection of " + name + " takes " + p.inFeatures()
            + " features but receives " + width + " (hidden_size " + encoder.hiddenSize() + ")");
      }
      width = p.outFeatures();
    }
    this.name = name;
    this.encoder = encoder;
    this.projections = List.copyOf(projections);
    this.weights = List.copyOf(weights);
    this.padId = padId;
    this.dim = (int) projections.get(projections.size() - 1).outFeatures();
  }

  /** The token vector size. */
  public int dim() {
    return dim;
  }

  /** The encoder (tests size pass budgets with it). */
  Encoder encoderForTests() {
    return encoder;
  }

  /** The longest input the encoder accepts. */
  public int maxLength() {
    return encoder.maxLength();
  }

  /** The primary weights (device and dtype). */
  public Weights weights() {
    return weights.get(0);
  }

  /**
   * Encodes one batch: for each row, its kept token vectors, L2-normalised, row-major {@code
   * [kept, dim]}. Engine failures escape as they are: the scorer wraps them once, with the batch's
   * context.
   *
   * @throws InferenceException when an id is outside the vocabulary or a row exceeds the positions
   */
  public List<float[]> encode(List<TokenRow> rows) {
    return encode(rows, CpuPasses.budgetBytes(weights.get(0).placement()));
  }

  /**
   * {@link #encode(List)} with the pass budget given (tests split small batches with it). On CPU a
   * batch runs as several forward passes whose largest layer intermediate stays under the budget:
   * large fresh allocations cost more in page faults than the work they feed (see
   * docs/transformers.md, "Memory allocator"). Rows are independent, so vectors do not change.
   */
  List<float[]> encode(List<TokenRow> rows, long passBytes) {
    int b = rows.size();
    int len = 0;
    for (TokenRow r : rows) {
      len = Math.max(len, r.length());
    }
    validate(rows, len);
    int perPass = CpuPasses.rowsPerPass(b, encoder.activationBytesPerRow(len), passBytes);
    if (perPass < b) {
      List<float[]> out = new ArrayList<>(b);
      for (int from = 0; from < b; from += perPass) {
        out.addAll(encodePass(rows.subList(from, Math.min(b, from + perPass))));
      }
      return out;
    }
    return encodePass(rows);
  }

  private List<float[]> encodePass(List<TokenRow> rows) {
    int b = rows.size();
    int len = 0;
    for (TokenRow r : rows) {
      len = Math.max(len, r.length());
    }
    long[] ids = new long[b * len];
    long[] mask = new long[b * len];
    for (int i = 0; i < b; i++) {
      TokenRow r = rows.get(i);
      java.util.Arrays.fill(ids, i * len, (i + 1) * len, padId);
      System.arraycopy(r.ids(), 0, ids, i * len, r.length());
      System.arraycopy(r.attention(), 0, mask, i * len, r.length());
    }
    float[] flat;
    try (NDManager batch = weights.get(0).manager().newSubManager()) {
      Shape shape = new Shape(b, len);
      EncoderInput in = new EncoderInput(batch.create(ids, shape), batch.create(mask, shape), null);
      NDArray h = encoder.forward(in);
      for (Linear p : projections) {
        h = p.forward(h);
      }
      h = h.toType(DataType.FLOAT32, false);
      // torch.nn.functional.normalize: x / max(||x||, 1e-12) (Python ColBERT divides by the norm itself)
      NDArray norm = h.norm(new int[] {-1}, true).maximum(1e-12f);
      flat = h.div(norm).toFloatArray();
    }
    List<float[]> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      TokenRow r = rows.get(i);
      float[] v = new float[r.keptCount() * dim];
      int k = 0;
      boolean[] keep = r.keep();
      for (int t = 0; t < r.length(); t++) {
        if (keep[t]) {
          System.arraycopy(flat, (i * len + t) * dim, v, k * dim, dim);
          k++;
        }
      }
      out.add(v);
    }
    return out;
  }

  /** Ids out of the tables or rows beyond the positions would fail natively: check in Java. */
  private void validate(List<TokenRow> rows, int len) {
    if (len > encoder.maxLength()) {
      throw new InferenceException("an input of " + len + " tokens exceeds the " + encoder.maxLength()
          + " positions of " + name);
    }
    long vocab = encoder.vocabSize();
    for (TokenRow r : rows) {
      for (long id : r.ids()) {
        if (id < 0 || id >= vocab) {
          throw new InferenceException("token id " + id + " is outside the vocabulary of " + name + " (size "
              + vocab + "): tokenizer.json and the checkpoint do not belong together");
        }
      }
    }
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Weights w : weights) {
      try {
        w.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "LateInteractionModel[" + name + ", dim=" + dim + ", " + weights.get(0).placement().deviceName() + "/"
        + weights.get(0).placement().dtypeName() + "]";
  }
}
