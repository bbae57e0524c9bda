package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.TransformersProvider;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.T5Model;
import dev.rerankers.transformers.nn.Placement;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a resolved spec into a T5 ranker ({@code t5}) or a UPR ranker ({@code upr}): options
 * checked first, then the safetensors checkpoint, the tokenizer and (for {@code t5}) the
 * relevance tokens, checked against the vocabulary.
 */
public final class T5Loader {
  /** Python's {@code inputs_template} default. */
  public static final String DEFAULT_TEMPLATE = "Query: {query} Document: {text} Relevant:";
  /** Python's {@code verbalizer_head} default. */
  public static final String DEFAULT_VERBALIZER_HEAD = "Passage:";
  /** Python's {@code verbalizer} default. */
  public static final String DEFAULT_VERBALIZER = "Please write a question based on this passage.";

  private T5Loader() {}

  /** The {@code t5} ranker a spec describes. */
  public static T5Scorer loadRanker(RerankerSpec spec) {
    int batchSize = positive(spec, RerankerSpec.BATCH_SIZE, 32, 1);
    int maxLength = positive(spec, RerankerSpec.MAX_LENGTH, 512, 2);
    PromptTemplate template = PromptTemplate.parse(
        spec.option(TransformersProvider.INPUTS_TEMPLATE).orElse(DEFAULT_TEMPLATE),
        TransformersProvider.INPUTS_TEMPLATE, Set.of("query", "text"));
    boolean returnLogits = spec.booleanOption(TransformersProvider.RETURN_LOGITS, false);
    String tokenFalse = token(spec, TransformersProvider.TOKEN_FALSE);
    String tokenTrue = token(spec, TransformersProvider.TOKEN_TRUE);
    ModelSource source = ModelSource.of(spec);
    T5Model model = Architectures.loadSeq2Seq(source, placement(spec));
    try {
      HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(maxLength).build();
      try {
        PredictionTokens.Resolved tokens =
            PredictionTokens.resolve(spec.model(), tokenFalse, tokenTrue, tokenizer, model.config().vocabSize());
        return new T5Scorer(spec.model(), tokenizer, model, template, tokens, returnLogits, batchSize);
      } catch (RuntimeException e) {
        tokenizer.close();
        throw e;
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The {@code upr} ranker a spec describes. */
  public static UprScorer loadUpr(RerankerSpec spec) {
    int batchSize = positive(spec, RerankerSpec.BATCH_SIZE, 16, 1);
    int maxLength = positive(spec, RerankerSpec.MAX_LENGTH, 512, 2);
    int maxQueryLength = positive(spec, TransformersProvider.MAX_QUERY_LENGTH, 128, 2);
    String head = spec.option(TransformersProvider.VERBALIZER_HEAD).orElse(DEFAULT_VERBALIZER_HEAD);
    String verbalizer = spec.option(TransformersProvider.VERBALIZER).orElse(DEFAULT_VERBALIZER);
    String ll = spec.option(TransformersProvider.LOG_LIKELIHOOD).orElse("sum").strip().toLowerCase(Locale.ROOT);
    if (!ll.equals("sum") && !ll.equals("mean")) {
      throw new ConfigException(TransformersProvider.LOG_LIKELIHOOD + " must be sum (as Python's UPRRanker) or mean, got '"
          + spec.option(TransformersProvider.LOG_LIKELIHOOD).orElse("") + "'");
    }
    ModelSource source = ModelSource.of(spec);
    T5Model model = Architectures.loadSeq2Seq(source, placement(spec));
    HfTokenizer passages = null;
    try {
      passages = HfTokenizer.builder(source).maxLength(maxLength).build();
      HfTokenizer queries = HfTokenizer.builder(source).maxLength(maxQueryLength).build();
      return new UprScorer(spec.model(), passages, queries, model, head, verbalizer, ll.equals("mean"), batchSize);
    } catch (RuntimeException e) {
      if (passages != null) {
        passages.close();
      }
      model.close();
      throw e;
    }
  }

  private static Placement placement(RerankerSpec spec) {
    return Placement.resolve(spec.option(RerankerSpec.DEVICE).orElse(null), spec.option(RerankerSpec.DTYPE).orElse(null));
  }

  private static int positive(RerankerSpec spec, String key, int defaultValue, int min) {
    int v = spec.intOption(key, defaultValue);
    if (v < min) {
      throw new ConfigException(key + " must be >= " + min + ", got " + v);
    }
    return v;
  }

  private static String token(RerankerSpec spec, String key) {
    String v = spec.option(key).orElse(PredictionTokens.AUTO);
    if (v.isEmpty()) {
      throw new ConfigException(key + " must be a vocabulary token such as ▁true, a token id, or auto");
    }
    return v;
  }
}
