/**
 * The evaluation harness behind {@code rerankers eval}: the BEIR-layout reader, the Lucene BM25
 * first stage, the evaluator and the report writers. Part of the command line, without a
 * compatibility promise; the metrics themselves are public API in {@link dev.rerankers.eval}.
 */
package dev.rerankers.cli.eval;
