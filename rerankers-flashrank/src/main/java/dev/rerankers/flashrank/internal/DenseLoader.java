package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Loads type {@code dense}: an ONNX bi-encoder from a local folder or Hub repository, or the
 * all-MiniLM-L6-v2 bundled in a langchain4j jar on the class path (zero downloads) when the spec
 * asks for that model.
 */
public final class DenseLoader {
  private static final System.Logger LOG = System.getLogger(DenseLoader.class.getName());

  private DenseLoader() {}

  /** The scorer for a resolved spec. */
  public static DenseScorer load(RerankerSpec spec, DenseSettings settings) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(spec, settings, cl != null ? cl : DenseLoader.class.getClassLoader());
  }

  /** The scorer for a resolved spec, looking for the bundled model with {@code loader}. */
  public static DenseScorer load(RerankerSpec spec, DenseSettings settings, ClassLoader loader) {
    boolean quantized = settings.quantized();
    boolean isDefault = EmbeddedMiniLm.isDefaultModel(spec.model()) && ModelSource.localFolder(spec.model()) == null;
    if (isDefault && settings.embedded()) {
      Optional<EmbeddedMiniLm> bundled = EmbeddedMiniLm.find(loader, quantized);
      if (bundled.isPresent()) {
        if (settings.encoder().file().isPresent()) {
          throw new ConfigException("option file does not apply to the bundled " + bundled.get().coordinates()
              + "; set embedded=false to load " + spec.model() + " from the Hub instead");
        }
        Path dir = bundled.get().extract(CacheDirs.root(settings.extractDir()));
        LOG.log(Level.DEBUG, "dense:{0}: using the model bundled in {1} ({2})", spec.model(),
            bundled.get().coordinates(), dir);
        SentenceTransformersConfig st = new SentenceTransformersConfig(Optional.of(TokenPooling.MEAN), Optional.empty(),
            OptionalInt.of(EmbeddedMiniLm.MAX_SEQ_LENGTH), Optional.empty(), Optional.empty());
        return create(spec, settings, ModelSource.local(dir), dir.resolve("model.onnx"), st,
            EmbeddedMiniLm.MAX_SEQ_LENGTH, "bundled in " + bundled.get().coordinates());
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
    if (st.pooling().isEmpty() && st.unsupportedPooling().isPresent() && settings.pooling().isEmpty()) {
      throw new ModelLoadException("dense:" + spec.model() + " asks for " + st.unsupportedPooling().get()
          + ", which this ranker does not implement; set pooling=mean or pooling=cls to override");
    }
    Path onnx = OnnxFiles.choose(source, settings.encoder().file());
    int fallback = st.maxSeqLength().orElse(OnnxEncoder.tokenizerConfig(source).maxLength().orElse(512));
    return create(spec, settings, source, onnx, st, fallback,
        source.isLocal() ? "folder " + source.id() : "hub " + source.id());
  }

  private static DenseScorer create(RerankerSpec spec, DenseSettings settings, ModelSource source, Path onnx,
      SentenceTransformersConfig st, int modelMaxLength, String origin) {
    String label = "dense:" + spec.model();
    OnnxEncoderSettings e = settings.encoder();
    TokenPooling pooling = settings.pooling().orElseGet(() -> {
      if (st.pooling().isEmpty()) {
        LOG.log(Level.INFO, "{0}: no sentence-transformers pooling config; using mean pooling (set pooling=cls to"
            + " change it)", label);
      }
      return st.pooling().orElse(TokenPooling.MEAN);
    });
    String queryPrefix = settings.queryPrefix().orElse(st.queryPrompt().orElse(""));
    String passagePrefix = settings.passagePrefix().orElse(st.documentPrompt().orElse(""));
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    int maxLength = config.capLength(e.maxLength().orElse(modelMaxLength), label);
    OnnxEncoder encoder = OnnxEncoder.open(source, onnx, config, maxLength, e.session(), label);
    Map<String, String> details = encoder.details(e.batchSize(), e.sortByLength());
    details.put("source", origin);
    details.put("pooling", pooling.name().toLowerCase(Locale.ROOT) + ", L2-normalised, cosine scores");
    details.put("cacheSize", Integer.toString(settings.cacheSize()));
    if (!queryPrefix.isEmpty()) {
      details.put("queryPrefix", "'" + queryPrefix + "'");
    }
    if (!passagePrefix.isEmpty()) {
      details.put("passagePrefix", "'" + passagePrefix + "'");
    }
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), OnnxEncoder.BACKEND, e.session().deviceLabel(),
        origin.contains("-q:") ? "int8" : OnnxFiles.dtypeOf(onnx), details);
    return new DenseScorer(info, encoder, pooling, queryPrefix, passagePrefix, e.batchSize(), e.sortByLength(),
        settings.cacheSize());
  }
}
