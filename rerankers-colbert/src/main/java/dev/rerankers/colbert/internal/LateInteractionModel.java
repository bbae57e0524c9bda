package dev.rerankers.colbert.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.Catalog;
import dev.rerankers.InferenceException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.graph.GraphCache;
import dev.rerankers.transformers.graph.GraphOps;
import dev.rerankers.transformers.graph.GraphRuntime;
import dev.rerankers.transformers.graph.GraphSession;
import dev.rerankers.transformers.models.Encoder;
import dev.rerankers.transformers.models.Inputs;
import dev.rerankers.transformers.nn.EagerOps;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Ops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
  private final Placement placement;
  /** The graph runtime's session, or null when this model runs eagerly. */
  private final GraphSession session;
  /** Hosts the batches' NDArrays (MaxSim): the weights' manager, or an own one when the weights were freed for a graph. */
  private final NDManager manager;
  private final String graphDtype;

  /**
   * Takes ownership of the weights; the first one's manager hosts the batches.
   *
   * @param padId the id written at padding positions
   */
  public LateInteractionModel(String name, Encoder encoder, List<Linear> projections, List<Weights> weights,
      long padId) {
    this(name, encoder, projections, weights, padId, null, "fp32");
  }

  private LateInteractionModel(String name, Encoder encoder, List<Linear> projections, List<Weights> weights,
      long padId, GraphSession session, String graphDtype) {
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
    this.placement = weights.get(0).placement();
    this.session = session;
    this.graphDtype = graphDtype;
    this.manager = session == null ? weights.get(0).manager() : placement.engine().newBaseManager(placement.device());
  }

  /**
   * The model on the runtime {@code graph} picks: eager as built, or (runtime=onnx, or auto on the
   * CPU) its encoder, projections and normalisation recorded as one ONNX graph, kept in the graph
   * cache under the hash of {@code files} and {@code keyParts}; the weights are then freed and
   * every batch runs in ONNX Runtime. Takes ownership of the weights.
   */
  public static LateInteractionModel onRuntime(String name, Encoder encoder, List<Linear> projections,
      List<Weights> weights, long padId, GraphRuntime graph, ModelSource source, List<Path> files, String... keyParts) {
    LateInteractionModel eager = new LateInteractionModel(name, encoder, projections, weights, padId);
    Placement p = weights.get(0).placement();
    if (!graph.useGraph(p.isCpu() ? "cpu" : p.deviceName(), p.dtypeName()) || !encoder.recordable()) {
      return eager;
    }
    List<Path> keyed = new ArrayList<>(files);
    for (Weights w : weights) {
      keyed.addAll(w.sourceFiles());
    }
    List<String> parts = new ArrayList<>(List.of("late-interaction", graph.precision().name()));
    parts.addAll(List.of(keyParts));
    Path root = GraphCache.root(source, graph.graphCache());
    String key = GraphCache.key(root, keyed, parts.toArray(String[]::new));
    GraphCache.Entry entry = GraphCache.obtain(root, key, folder -> {
      GraphOps rec = new GraphOps(graph.precision());
      Inputs<GraphOps.Value> in = new Inputs<>(rec.input("input_ids"), rec.input("attention_mask"), null);
      rec.output("vectors", eager.vectors(rec, in), "batch", "sequence", (long) eager.dim);
      rec.write(folder.resolve("model.onnx"), Catalog.version(), Map.of("kind", "late-interaction", "source", name),
          GraphCache.EXTERNAL_DATA_ABOVE);
      return Map.of("dim", Integer.toString(eager.dim));
    });
    // the graph holds its own copy of the weights: free libtorch's before ONNX Runtime loads it, so the
    // two copies never coexist (peak memory is one model, not two)
    for (Weights w : weights) {
      w.close();
    }
    GraphSession session = GraphSession.open(entry.folder(), graph.intraOpThreads(), graph.memoryArena(), name);
    try {
      return new LateInteractionModel(name, encoder, projections, weights, padId, session,
          graph.precision() == GraphOps.Precision.INT8 ? "int8" : "fp32");
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Token vectors, L2-normalised: the encoder's last hidden state through the projections, computed or recorded. */
  <T> T vectors(Ops<T> ops, Inputs<T> in) {
    T h = encoder.forward(ops, in);
    for (Linear p : projections) {
      h = p.forward(ops, h);
    }
    // torch.nn.functional.normalize: x / max(||x||, 1e-12) (Python ColBERT divides by the norm itself)
    return ops.l2Normalize(h);
  }

  /** Whether batches run as an ONNX graph. */
  public boolean onGraph() {
    return session != null;
  }

  /** The graph's weight precision ({@code fp32} or {@code int8}); meaningful when {@link #onGraph()}. */
  public String graphDtype() {
    return graphDtype;
  }

  /** Device and dtype of the weights as loaded. */
  public Placement placement() {
    return placement;
  }

  /** The manager batches open sub-managers of (for MaxSim). */
  public NDManager manager() {
    return manager;
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


  /**
   * Encodes one batch: for each row, its kept token vectors, L2-normalised, row-major {@code
   * [kept, dim]}. Engine failures escape as they are: the scorer wraps them once, with the batch's
   * context.
   *
   * @throws InferenceException when an id is outside the vocabulary or a row exceeds the positions
   */
  public List<float[]> encode(List<TokenRow> rows) {
    return encode(rows, CpuPasses.budgetBytes(placement));
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
    if (session != null) {
      flat = session.run(Map.of("input_ids", ids, "attention_mask", mask), b, len).get("vectors").data();
    } else {
      try (NDManager batch = manager.newSubManager()) {
        Shape shape = new Shape(b, len);
        flat = vectors(EagerOps.OPS, new Inputs<>(batch.create(ids, shape), batch.create(mask, shape), null)).toFloatArray();
      }
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
    if (session != null) {
      session.close();
      manager.close();
      return;
    }
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
    return "LateInteractionModel[" + name + ", dim=" + dim + ", " + placement.deviceName() + "/"
        + placement.dtypeName() + (session != null ? ", onnx" : "") + "]";
  }
}
