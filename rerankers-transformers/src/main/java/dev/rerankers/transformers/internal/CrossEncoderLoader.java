package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import dev.rerankers.transformers.TransformersProvider;
import dev.rerankers.transformers.internal.CrossEncoderScorer.ScoreRule;
import java.util.Locale;

/** Turns a resolved spec into a {@link CrossEncoderScorer}: files, format, tokenizer, score rule. */
public final class CrossEncoderLoader {
  private static final System.Logger LOG = System.getLogger(CrossEncoderLoader.class.getName());

  private CrossEncoderLoader() {}

  /** Loads the ranker a spec describes. */
  public static CrossEncoderScorer load(RerankerSpec spec) {
    int batchSize = spec.intOption(RerankerSpec.BATCH_SIZE, 16);
    if (batchSize < 1) {
      throw new ConfigException("batchSize must be >= 1, got " + batchSize);
    }
    Integer maxLengthOption = spec.option(RerankerSpec.MAX_LENGTH).isPresent()
        ? spec.intOption(RerankerSpec.MAX_LENGTH, 0) : null;
    if (maxLengthOption != null && maxLengthOption < 2) {
      throw new ConfigException("maxLength must be >= 2, got " + maxLengthOption);
    }
    boolean sigmoid = spec.booleanOption(TransformersProvider.SIGMOID, false);
    boolean monobert = spec.booleanOption(
        TransformersProvider.MONOBERT, spec.model().toLowerCase(Locale.ROOT).contains("monobert"));
    ModelSource source = ModelSource.of(spec);
    String format = Formats.choose(source, spec.option(TransformersProvider.FORMAT).orElse("auto"));
    LogitsModel model = Formats.load(format, source, spec);
    try {
      ScoreRule rule = rule(model.numLabels(), monobert, spec.model());
      TokenizerConfig tc = TokenizerConfig.read(
          source.optionalFile("tokenizer_config.json").orElse(null),
          source.optionalFile("special_tokens_map.json").orElse(null));
      int maxLength;
      if (maxLengthOption != null) {
        maxLength = maxLengthOption;
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
      return new CrossEncoderScorer(spec.model(), tokenizer, model, rule, sigmoid, batchSize);
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
