package dev.rerankers.transformers.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.graph.GraphCache;
import dev.rerankers.transformers.graph.GraphOps;
import dev.rerankers.transformers.graph.GraphSession;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.ConfigJson;
import dev.rerankers.transformers.models.Encoder;
import dev.rerankers.transformers.models.Inputs;
import dev.rerankers.transformers.models.SequenceClassifier;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A safetensors cross-encoder run as an ONNX graph (runtime=onnx): the model's own Java code is
 * recorded once by {@link GraphOps} (ONNX Runtime's fused attention, skip-layer-norm and GELU
 * kernels; int8 linear layers when asked), the graph is kept in the {@link GraphCache} keyed by
 * the checkpoint's hash and the library version, and later loads open it directly, without
 * loading the weights into libtorch. Inputs and outputs are those of {@link NativeLogits}.
 */
final class GraphLogits implements LogitsModel {
  private static final System.Logger LOG = System.getLogger(GraphLogits.class.getName());

  private final GraphSession session;
  private final String architecture;
  private final int numLabels;
  private final int vocabSize;
  private final int maxLength;
  private final int typeVocabSize;
  private final boolean feedsTypes;
  private final GraphOps.Precision precision;
  private final Path folder;
  private final int heads;
  private final int hiddenSize;
  private final long passBytes;

  private GraphLogits(GraphSession session, Map<String, String> meta, GraphOps.Precision precision, Path folder,
      ConfigJson config, long passBytes) {
    this.session = session;
    // BERT-style names, else DistilBERT's; only the pass size depends on them
    this.hiddenSize = config.integer("hidden_size", config.integer("dim", 768));
    this.heads = config.integer("num_attention_heads", config.integer("n_heads", Math.max(1, hiddenSize / 64)));
    this.passBytes = passBytes;
    this.architecture = meta.get("architecture");
    this.numLabels = Integer.parseInt(meta.get("numLabels"));
    this.vocabSize = Integer.parseInt(meta.get("vocabSize"));
    this.maxLength = Integer.parseInt(meta.get("maxLength"));
    this.typeVocabSize = Integer.parseInt(meta.get("typeVocabSize"));
    this.feedsTypes = session.inputs().contains("token_type_ids");
    this.precision = precision;
    this.folder = folder;
  }

  /**
   * Opens the graph of a safetensors classifier, recording and caching it first when needed.
   *
   * @param graphCache the cache folder, or empty for the default beside the checkpoint
   * @param passBytes the largest layer intermediate one graph run may create (0 = one run per batch)
   * @throws ModelLoadException when the architecture cannot be recorded or the graph not stored
   */
  static GraphLogits load(ModelSource source, GraphOps.Precision precision, int intraOpThreads, boolean memoryArena,
      Optional<Path> graphCache, long passBytes) {
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    String arch = Architectures.architecture(config, source.id());
    List<Path> files = new ArrayList<>();
    files.add(source.file("config.json"));
    files.addAll(Weights.files(source));
    Path root = GraphCache.root(source, graphCache);
    String key = GraphCache.key(root, files, "sequence-classifier", arch, precision.name());
    long t0 = System.nanoTime();
    GraphCache.Entry entry = GraphCache.obtain(root, key, folder -> record(source, precision, folder));
    if (entry.built()) {
      LOG.log(Level.INFO, "{0}: recorded its {1} ONNX graph in {2} ms into {3}", source.id(),
          precision.name().toLowerCase(Locale.ROOT), (System.nanoTime() - t0) / 1_000_000, entry.folder());
    }
    GraphSession session = GraphSession.open(entry.folder(), intraOpThreads, memoryArena, source.id());
    try {
      return new GraphLogits(session, entry.metadata(), precision, entry.folder(), config, passBytes);
    } catch (RuntimeException e) {
      session.close();
      throw new ModelLoadException("the graph in " + entry.folder() + " lacks its metadata: " + e.getMessage(), e);
    }
  }

  /** Loads the checkpoint on the CPU in fp32, records its logits, writes the graph into {@code folder}. */
  static Map<String, String> record(ModelSource source, GraphOps.Precision precision, Path folder)
      throws java.io.IOException {
    try (SequenceClassifier model = Architectures.loadClassifier(source, Placement.cpu())) {
      if (!model.encoder().recordable()) {
        throw new ModelLoadException(model.architecture() + " cannot be recorded as a graph yet; use runtime=torch");
      }
      GraphOps rec = new GraphOps(precision);
      boolean types = model.encoder().typeVocabSize() > 0;
      Inputs<GraphOps.Value> in = new Inputs<>(rec.input("input_ids"), rec.input("attention_mask"),
          types ? rec.input("token_type_ids") : null);
      rec.output("logits", model.logits(rec, in), "batch", (long) model.numLabels());
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("architecture", model.architecture());
      meta.put("numLabels", Integer.toString(model.numLabels()));
      meta.put("vocabSize", Integer.toString(model.encoder().vocabSize()));
      meta.put("maxLength", Integer.toString(model.encoder().maxLength()));
      meta.put("typeVocabSize", Integer.toString(model.encoder().typeVocabSize()));
      meta.put("precision", precision.name().toLowerCase(Locale.ROOT));
      meta.put("source", source.id());
      rec.write(folder.resolve("model.onnx"), dev.rerankers.Catalog.version(), meta, GraphCache.EXTERNAL_DATA_ABOVE);
      return meta;
    }
  }

  /**
   * Runs the batch in passes whose largest intermediate stays under the budget, as the eager
   * runtime does ({@link CpuPasses}): ONNX Runtime's arena keeps the largest run's activations, so
   * a 16 × 512 batch of bge-reranker-base would keep its 400 MB of attention scores reserved. Each
   * pass is cut to its own longest row (trailing padding only: positions do not move), and rows
   * are grouped so that little padding is computed ({@link CpuPasses#byLength}).
   */
  @Override
  public float[] logits(PaddedBatch batch) {
    List<int[]> passes = CpuPasses.byLength(batch,
        length -> Encoder.activationBytesPerRow(heads, hiddenSize, length), passBytes);
    if (passes.size() == 1) {
      return run(batch);
    }
    float[] out = new float[batch.size() * numLabels];
    for (int[] pass : passes) {
      float[] l = run(batch.rows(pass[0], pass[1]));
      System.arraycopy(l, 0, out, pass[0] * numLabels, l.length);
    }
    return out;
  }

  private float[] run(PaddedBatch batch) {
    Map<String, long[]> feeds = new LinkedHashMap<>();
    feeds.put("input_ids", batch.inputIds());
    feeds.put("attention_mask", batch.attentionMask());
    if (feedsTypes) {
      feeds.put("token_type_ids", batch.hasTokenTypeIds() ? batch.tokenTypeIds() : new long[batch.size() * batch.length()]);
    }
    return session.run(feeds, batch.size(), batch.length()).get("logits").data();
  }

  /** The folder holding the graph (tests check the cache with it). */
  Path folder() {
    return folder;
  }

  @Override
  public int numLabels() {
    return numLabels;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public int typeVocabSize() {
    return feedsTypes ? typeVocabSize : 0;
  }

  @Override
  public String format() {
    return "safetensors";
  }

  @Override
  public String runtime() {
    return "onnx";
  }

  @Override
  public String architecture() {
    return architecture;
  }

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public String dtype() {
    return precision == GraphOps.Precision.INT8 ? "int8" : "fp32";
  }

  @Override
  public void close() {
    session.close();
  }
}
