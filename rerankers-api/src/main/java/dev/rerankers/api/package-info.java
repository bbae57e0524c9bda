/**
 * The rerankers-api backend: hosted rerank APIs and LLM rankers, with the typed exceptions they
 * throw and their option keys ({@link dev.rerankers.api.ApiOptions}). Rankers are obtained through
 * {@link dev.rerankers.Reranker#load(String)}; see {@code docs/api/}.
 */
package dev.rerankers.api;
