/**
 * Spring AI integration: {@link dev.rerankers.springai.RerankerDocumentPostProcessor} reranks the
 * documents a {@code RetrievalAugmentationAdvisor} retrieved, with any {@link dev.rerankers.Reranker};
 * {@link dev.rerankers.springai.RerankersAutoConfiguration} builds the ranker and the post-processor
 * from {@code rerankers.*} properties. Built against Spring AI 2.0.1 and Spring Boot 4.0.7.
 */
package dev.rerankers.springai;
