/**
 * Offline evaluation of rankings: {@link dev.rerankers.eval.Metrics} computes nDCG@k, MRR@k, MAP
 * and Recall@k exactly as {@code trec_eval} defines them. JDK only.
 */
package dev.rerankers.eval;
