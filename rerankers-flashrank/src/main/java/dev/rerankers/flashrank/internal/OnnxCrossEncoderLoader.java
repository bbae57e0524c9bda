package dev.rerankers.flashrank.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankProvider;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads type {@code onnx-cross-encoder}: any sequence-classification model exported to ONNX, from
 * a local folder or a Hub repository.
 */
public final class OnnxCrossEncoderLoader {
  private OnnxCrossEncoderLoader() {}

  /** The scorer for a resolved spec. */
  public static CrossEncoderScorer load(RerankerSpec spec) {
    return load(spec, ModelSource.of(spec));
  }

  /** The scorer for a spec whose files come from {@code source}. */
  public static CrossEncoderScorer load(RerankerSpec spec, ModelSource source) {
    OnnxOptions options = OnnxOptions.of(spec);
    int batchSize = Loading.batchSize(spec);
    boolean sorted = Loading.sortByLength(spec);
    ScoreRule rule = spec.booleanOption(FlashRankProvider.SIGMOID, false) ? ScoreRule.FLASHRANK : ScoreRule.LOGIT;
    String label = "onnx-cross-encoder:" + spec.model();
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    if (config.numLabels() > 2) {
      throw new ModelLoadException(label + " is a classifier with " + config.numLabels()
          + " labels; a relevance ranker needs 1 (relevance logit) or 2 (not relevant, relevant)");
    }
    Path onnx = Loading.onnxFile(source, spec.option(FlashRankProvider.FILE));
    TokenizerConfig tc = Loading.tokenizerConfig(source);
    int wanted = Loading.maxLengthOption(spec).orElse(tc.maxLength().orElse(config.maxTokens() > 0 ? config.maxTokens() : 512));
    int maxLength = Loading.capToModel(wanted, config, label);
    HfTokenizer tokenizer = Loading.tokenizer(source, maxLength);
    OnnxModel model;
    try {
      model = OnnxModel.load(onnx, options, label);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    Map<String, String> details = Loading.details(onnx, model, options, maxLength, batchSize, sorted);
    details.put("score", rule.description() + (rule == ScoreRule.FLASHRANK ? " (sigmoid=true)" : ""));
    RerankerInfo info = new RerankerInfo("onnx-cross-encoder", spec.model(), FlashRankProvider.NAME,
        options.deviceLabel(), Loading.dtypeOf(onnx), details);
    return new CrossEncoderScorer(info, tokenizer, model, config, rule, batchSize, sorted);
  }
}
