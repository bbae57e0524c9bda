package dev.rerankers.transformers.internal;

import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.T5Model;

/**
 * Turns a resolved spec and its settings into a T5 ranker ({@code t5}) or a UPR ranker ({@code
 * upr}): the safetensors checkpoint, the tokenizer and (for {@code t5}) the relevance tokens,
 * checked against the vocabulary.
 */
public final class T5Loader {
  private T5Loader() {}

  /** The {@code t5} ranker a spec describes. */
  public static T5Scorer loadRanker(RerankerSpec spec, T5Settings settings) {
    ModelSource source = ModelSource.of(spec);
    T5Model model = Architectures.loadSeq2Seq(source, Placement.resolve(settings.device(), settings.dtype()));
    try {
      HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(settings.maxLength()).build();
      try {
        PredictionTokens.Resolved tokens = PredictionTokens.resolve(
            spec.model(), settings.tokenFalse(), settings.tokenTrue(), tokenizer, model.config().vocabSize());
        return new T5Scorer(spec.model(), tokenizer, model, settings.template(), tokens, settings.returnLogits(),
            settings.batchSize());
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
  public static UprScorer loadUpr(RerankerSpec spec, UprSettings settings) {
    ModelSource source = ModelSource.of(spec);
    T5Model model = Architectures.loadSeq2Seq(source, Placement.resolve(settings.device(), settings.dtype()));
    HfTokenizer passages = null;
    try {
      passages = HfTokenizer.builder(source).maxLength(settings.maxLength()).build();
      HfTokenizer queries = HfTokenizer.builder(source).maxLength(settings.maxQueryLength()).build();
      return new UprScorer(spec.model(), passages, queries, model, settings.verbalizerHead(), settings.verbalizer(),
          settings.mean(), settings.batchSize());
    } catch (RuntimeException e) {
      if (passages != null) {
        passages.close();
      }
      model.close();
      throw e;
    }
  }
}
