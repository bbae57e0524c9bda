package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankProvider;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads type {@code dense}: an ONNX bi-encoder from a local folder or Hub repository, or the
 * all-MiniLM-L6-v2 bundled in a langchain4j jar on the class path (zero downloads) when the spec
 * asks for that model.
 */
public final class DenseLoader {
  private static final System.Logger LOG = System.getLogger(DenseLoader.class.getName());

  /** Document vectors kept unless {@code cacheSize} says otherwise. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  private DenseLoader() {}

  /** The scorer for a resolved spec. */
  public static DenseScorer load(RerankerSpec spec) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(spec, cl != null ? cl : DenseLoader.class.getClassLoader());
  }

  /** The scorer for a resolved spec, looking for the bundled model with {@code loader}. */
  public static DenseScorer load(RerankerSpec spec, ClassLoader loader) {
    String label = "dense:" + spec.model();
    boolean quantized = spec.booleanOption(FlashRankProvider.QUANTIZED, false);
    boolean embeddedAllowed = spec.booleanOption(FlashRankProvider.EMBEDDED, true);
    boolean isDefault = EmbeddedMiniLm.isDefaultModel(spec.model()) && ModelSource.localFolder(spec.model()) == null;
    if (isDefault && embeddedAllowed) {
      Optional<EmbeddedMiniLm> bundled = EmbeddedMiniLm.find(loader, quantized);
      if (bundled.isPresent()) {
        if (spec.option(FlashRankProvider.FILE).isPresent()) {
          throw new ConfigException("option file does not apply to the bundled " + bundled.get().coordinates()
              + "; set embedded=false to load " + spec.model() + " from the Hub instead");
        }
        Path dir = bundled.get().extract(CacheDirs.root(spec));
        LOG.log(Level.DEBUG, "{0}: using the model bundled in {1} ({2})", label, bundled.get().coordinates(), dir);
        SentenceTransformersConfig st = new SentenceTransformersConfig(Optional.of(Pooling.MEAN), Optional.empty(),
            java.util.OptionalInt.of(EmbeddedMiniLm.MAX_SEQ_LENGTH), Optional.empty(), Optional.empty());
        return create(spec, ModelSource.local(dir), dir.resolve("model.onnx"), st, EmbeddedMiniLm.MAX_SEQ_LENGTH,
            "bundled in " + bundled.get().coordinates());
      }
      if (quantized) {
        throw new ModelLoadException("quantized=true asks for the bundled int8 all-MiniLM-L6-v2, but "
            + EmbeddedMiniLm.GROUP + ":" + EmbeddedMiniLm.INT8_ARTIFACT + " is not on the class path; add it"
            + " (with its dependencies excluded)");
      }
    } else if (quantized) {
      throw new ConfigException("quantized applies to the bundled all-MiniLM-L6-v2 only; for other models pick the"
          + " quantized file with file=<path>, e.g. file=onnx/model_quantized.onnx");
    }
    ModelSource source;
    try {
      source = ModelSource.of(spec);
      if (!source.isLocal()) {
        source.files(); // fails early (offline, not found) with the Hub's own message
      }
    } catch (ModelLoadException e) {
      if (isDefault) {
        throw new ModelLoadException(e.getMessage() + ". For an offline default, add " + EmbeddedMiniLm.GROUP + ":"
            + EmbeddedMiniLm.FP32_ARTIFACT + " (or -q) to the class path: Reranker.load(\"dense\") then runs its"
            + " bundled model with no download", e);
      }
      throw e;
    }
    SentenceTransformersConfig st = SentenceTransformersConfig.read(source);
    if (st.pooling().isEmpty() && st.unsupportedPooling().isPresent() && spec.option(FlashRankProvider.POOLING).isEmpty()) {
      throw new ModelLoadException(label + " asks for " + st.unsupportedPooling().get()
          + ", which this ranker does not implement; set pooling=mean or pooling=cls to override");
    }
    Path onnx = Loading.onnxFile(source, spec.option(FlashRankProvider.FILE));
    TokenizerConfig tc = Loading.tokenizerConfig(source);
    int fallback = st.maxSeqLength().orElse(tc.maxLength().orElse(512));
    return create(spec, source, onnx, st, fallback, source.isLocal() ? "folder " + source.id() : "hub " + source.id());
  }

  private static DenseScorer create(RerankerSpec spec, ModelSource source, Path onnx, SentenceTransformersConfig st,
      int defaultMaxLength, String origin) {
    String label = "dense:" + spec.model();
    OnnxOptions options = OnnxOptions.of(spec);
    int batchSize = Loading.batchSize(spec);
    boolean sorted = Loading.sortByLength(spec);
    int cacheSize = spec.intOption(FlashRankProvider.CACHE_SIZE, DEFAULT_CACHE_SIZE);
    if (cacheSize < 0) {
      throw new ConfigException("cacheSize must be >= 0 (0 turns the document-embedding cache off), got " + cacheSize);
    }
    Optional<Pooling> modelPooling = st.pooling();
    Pooling pooling = spec.option(FlashRankProvider.POOLING).map(Pooling::parse).orElseGet(() -> {
      if (modelPooling.isEmpty()) {
        LOG.log(Level.INFO, "{0}: no sentence-transformers pooling config; using mean pooling (set pooling=cls to"
            + " change it)", label);
      }
      return modelPooling.orElse(Pooling.MEAN);
    });
    String queryPrefix = spec.option(FlashRankProvider.QUERY_PREFIX).orElse(st.queryPrompt().orElse(""));
    String passagePrefix = spec.option(FlashRankProvider.PASSAGE_PREFIX).orElse(st.documentPrompt().orElse(""));
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    int maxLength = Loading.capToModel(Loading.maxLengthOption(spec).orElse(defaultMaxLength), config, label);
    HfTokenizer tokenizer = Loading.tokenizer(source, maxLength);
    OnnxModel model;
    try {
      model = OnnxModel.load(onnx, options, label);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    Map<String, String> details = Loading.details(onnx, model, options, maxLength, batchSize, sorted);
    details.put("source", origin);
    details.put("pooling", pooling.name().toLowerCase(java.util.Locale.ROOT) + ", L2-normalised, cosine scores");
    details.put("cacheSize", Integer.toString(cacheSize));
    if (!queryPrefix.isEmpty()) {
      details.put("queryPrefix", "'" + queryPrefix + "'");
    }
    if (!passagePrefix.isEmpty()) {
      details.put("passagePrefix", "'" + passagePrefix + "'");
    }
    RerankerInfo info = new RerankerInfo("dense", spec.model(), FlashRankProvider.NAME, options.deviceLabel(),
        origin.contains("-q:") ? "int8" : Loading.dtypeOf(onnx), details);
    return new DenseScorer(info, tokenizer, model, config, pooling, queryPrefix, passagePrefix, batchSize, sorted,
        cacheSize);
  }
}
