/**
 * Runnable examples: a RAG pipeline (Lucene BM25 retrieve, rerank, top-k) and a hosted API with a
 * local fallback. They print to standard output; the library itself never does.
 */
package dev.rerankers.examples;
