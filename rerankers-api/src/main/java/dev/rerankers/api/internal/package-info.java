/**
 * Plumbing of the rerankers-api backend: the HTTP resources all rankers share ({@code
 * SharedHttp}), each ranker's engine (its interceptors and its one retry loop), the table of
 * hosted rerank APIs and the protocols that speak it, the settings records read once from the
 * checked options, and the LLM prompts and parsers. Not API: no compatibility promise.
 */
package dev.rerankers.api.internal;
