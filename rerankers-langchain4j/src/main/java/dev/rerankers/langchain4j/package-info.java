/**
 * LangChain4j integration: {@link dev.rerankers.langchain4j.RerankerScoringModel} adapts any
 * {@link dev.rerankers.Reranker} to LangChain4j's {@code ScoringModel}, and {@link
 * dev.rerankers.langchain4j.RerankingContentAggregators} builds a {@code
 * ReRankingContentAggregator} with it. Built against langchain4j-core 1.19.0.
 */
package dev.rerankers.langchain4j;
