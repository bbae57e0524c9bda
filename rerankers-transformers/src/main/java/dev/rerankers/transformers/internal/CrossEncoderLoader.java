package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import dev.rerankers.transformers.internal.TransformerCrossEncoderScorer.ScoreRule;

/** Turns a resolved spec and its settings into a {@link TransformerCrossEncoderScorer}: files, format, tokenizer, score rule. */
public final class CrossEncoderLoader {
  private static final System.Logger LOG = System.getLogger(CrossEncoderLoader.class.getName());

  private CrossEncoderLoader() {}

  /** Loads the ranker a spec describes, with its checked options. */
  public static TransformerCrossEncoderScorer load(RerankerSpec spec, CrossEncoderSettings settings) {
    ModelSource source = ModelSource.of(spec);
    CheckpointFormat format = settings.format().orElseGet(() -> CheckpointFormat.detect(source));
    LogitsModel model = ClassifierLoader.load(format, source, settings.device(), settings.dtype(), settings.cpuChunkBytes(),
        settings.graph());
    try {
      ScoreRule rule = rule(model.numLabels(), settings.monobert(), spec.model());
      TokenizerConfig tc = TokenizerConfig.read(
          source.optionalFile("tokenizer_config.json").orElse(null),
          source.optionalFile("special_tokens_map.json").orElse(null));
      int maxLength;
      if (settings.maxLength().isPresent()) {
        maxLength = settings.maxLength().getAsInt();
      } else if (tc.modelMaxLength() != null) {
        maxLength = tc.modelMaxLength();
      } else {
        maxLength = model.maxLength();
        LOG.log(System.Logger.Level.INFO, "{0} sets no model_max_length; truncating pairs to the model''s {1} positions",
            spec.model(), maxLength);
      }
      if (maxLength > model.maxLength()) {
        LOG.log(System.Logger.Level.WARNING, "maxLength {0} of {1} exceeds the model''s {2} positions; using {2}",
            maxLength, spec.model(), model.maxLength());
        maxLength = model.maxLength();
      }
      if (maxLength < 2) {
        // from config.json: max_position_embeddings (less padding offsets) leaves no room
        throw new ConfigException(source.file("config.json") + ": max_position_embeddings and pad_token_id leave the model "
            + maxLength + " usable positions; allowed: at least 2");
      }
      HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(maxLength).build();
      return new TransformerCrossEncoderScorer(spec.model(), tokenizer, model, rule, settings.sigmoid(), settings.batchSize());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  static ScoreRule rule(int labels, boolean monobert, String model) {
    if (monobert) {
      if (labels != 2) {
        throw new ModelLoadException("monoBERT scoring (logit[1] - logit[0]) needs a 2-label classifier, but "
            + model + " has " + labels + " label(s); set monobert=false");
      }
      return ScoreRule.MONOBERT_DIFFERENCE;
    }
    if (labels != 1) {
      throw new ModelLoadException(model + " is a " + labels + "-label classifier; cross-encoder scores come from "
          + "one logit. For a two-label relevance model scored logit[1] - logit[0] (monoBERT), add the option "
          + "monobert=true (Python rerankers does this when the name contains 'monobert')");
    }
    return ScoreRule.LOGIT;
  }
}
