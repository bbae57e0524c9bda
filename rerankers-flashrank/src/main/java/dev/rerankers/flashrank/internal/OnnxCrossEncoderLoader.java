package dev.rerankers.flashrank.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one ONNX cross-encoder path. Type {@code onnx-cross-encoder} enters at {@link #load}: any
 * sequence-classification model exported to ONNX, from a local folder or a Hub repository. Type
 * {@code flashrank} enters at {@link #create} once {@link FlashRankLoader} has found its files.
 */
public final class OnnxCrossEncoderLoader {
  private static final System.Logger LOG = System.getLogger(OnnxCrossEncoderLoader.class.getName());

  private OnnxCrossEncoderLoader() {}

  /** The scorer for a resolved spec. */
  public static OnnxCrossEncoderScorer load(RerankerSpec spec, OnnxCrossEncoderSettings settings) {
    return load(spec, ModelSource.of(spec), settings);
  }

  /** The scorer for a spec whose files come from {@code source}. */
  public static OnnxCrossEncoderScorer load(RerankerSpec spec, ModelSource source, OnnxCrossEncoderSettings settings) {
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    Path onnx = OnnxFiles.choose(source, settings.encoder().file());
    String score = settings.rule().description() + (settings.rule() == ScoreRule.FLASHRANK ? " (sigmoid=true)" : "");
    return create(spec, source, onnx, config, settings, Map.of("score", score));
  }

  /**
   * Opens the model and its tokenizer and builds the scorer.
   *
   * @param details shown in {@code RerankerInfo} after the common ones (replacing any of the same key)
   */
  static OnnxCrossEncoderScorer create(RerankerSpec spec, ModelSource source, Path onnx, ModelConfig config,
      OnnxCrossEncoderSettings settings, Map<String, String> details) {
    String label = spec.type() + ":" + spec.model();
    if (config.numLabels() > 2) {
      throw new ModelLoadException(label + " is a classifier with " + config.numLabels()
          + " labels; a relevance ranker needs 1 (relevance logit) or 2 (not relevant, relevant)");
    }
    OnnxEncoderSettings e = settings.encoder();
    int maxLength = config.capLength(settings.wantedLength(OnnxEncoder.tokenizerConfig(source), config), label);
    OnnxEncoder encoder = OnnxEncoder.open(source, onnx, config, maxLength, e.session(), label);
    Map<String, String> shown = encoder.details(e.batchSize(), e.sortByLength());
    shown.put("score", settings.rule().description());
    shown.putAll(details);
    LOG.log(Level.DEBUG, "{0}: {1}", label, shown);
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), OnnxEncoder.BACKEND, e.session().deviceLabel(),
        OnnxFiles.dtypeOf(onnx), shown);
    return new OnnxCrossEncoderScorer(info, encoder, settings.rule(), e.batchSize(), e.sortByLength());
  }
}
