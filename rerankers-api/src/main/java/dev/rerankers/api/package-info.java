/**
 * The rerankers-api backend: hosted rerank APIs and LLM rankers, with the typed exceptions they
 * throw, their option declarations ({@link dev.rerankers.api.ApiOptions}) and the choice of the
 * okhttp client they share ({@link dev.rerankers.api.ApiHttpClient}). Rankers are obtained through
 * {@link dev.rerankers.Reranker#load(String)}; see {@code docs/api/}.
 */
package dev.rerankers.api;
