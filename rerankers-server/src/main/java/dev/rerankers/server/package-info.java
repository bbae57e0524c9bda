/**
 * rerankers-server: any ranker as a stateless HTTP service speaking text-embeddings-inference's
 * and Cohere's rerank APIs, with batching across requests. Start one with {@link
 * dev.rerankers.server.RerankServer#builder()} or {@code bin/rerankers serve}; see docs/server.md.
 */
package dev.rerankers.server;
