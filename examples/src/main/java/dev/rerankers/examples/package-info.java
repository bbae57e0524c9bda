/**
 * Runnable examples: a RAG pipeline (Lucene BM25 retrieve, rerank, top-k) and a hosted API with a
 * local fallback. They print to standard output; the library itself never does. They run on the
 * class path of the command line's jar ({@code rerankers-cli/target/rerankers.jar}, every backend):
 * see docs/cli.md, "Runnable examples".
 */
package dev.rerankers.examples;
