package dev.rerankers.langchain4j;

import dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator;
import dev.rerankers.Reranker;

/**
 * Builds LangChain4j's {@link ReRankingContentAggregator} over any {@link Reranker}, for a {@code
 * DefaultRetrievalAugmentor}'s {@code contentAggregator}.
 *
 * <pre>{@code
 * RetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
 *     .contentRetriever(retriever)
 *     .contentAggregator(RerankingContentAggregators.of(reranker, 5))   // best 5 after reranking
 *     .build();
 * }</pre>
 *
 * <p>The aggregator fuses what the retrievers found (reciprocal rank fusion), scores the fused
 * contents with {@link RerankerScoringModel}, sorts them by descending score, drops those under
 * {@code minScore} and keeps {@code maxResults}; each returned {@code Content} carries its score
 * under {@code ContentMetadata.RERANKED_SCORE}. For rankers that only order documents (RankGPT) the
 * scores are {@code 1.0 / rank} (see {@link RerankerScoringModel}).
 *
 * <p>Two LangChain4j behaviours to know: with several queries (query expansion) the aggregator needs
 * a {@code querySelector} (use {@link #builder(Reranker)}); and it keys contents by their text
 * segment, so two contents with equal text and metadata come back once.
 */
public final class RerankingContentAggregators {

  private RerankingContentAggregators() {}

  /** An aggregator that reranks all fused contents and keeps them all. */
  public static ReRankingContentAggregator of(Reranker reranker) {
    return builder(reranker).build();
  }

  /**
   * An aggregator that reranks all fused contents and keeps the best {@code maxResults}.
   *
   * @throws IllegalArgumentException when {@code maxResults < 1}
   */
  public static ReRankingContentAggregator of(Reranker reranker, int maxResults) {
    if (maxResults < 1) {
      throw new IllegalArgumentException("maxResults must be >= 1, got " + maxResults);
    }
    return builder(reranker).maxResults(maxResults).build();
  }

  /**
   * LangChain4j's builder with the scoring model already set, for {@code minScore}, {@code
   * maxResults} and {@code querySelector}.
   */
  public static ReRankingContentAggregator.ReRankingContentAggregatorBuilder builder(Reranker reranker) {
    return ReRankingContentAggregator.builder().scoringModel(RerankerScoringModel.of(reranker));
  }
}
