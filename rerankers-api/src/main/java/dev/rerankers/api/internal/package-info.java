/**
 * Plumbing of the rerankers-api backend: the resilient HTTP engine, the provider protocols, the
 * LLM prompts and parsers. Not API: no compatibility promise.
 */
package dev.rerankers.api.internal;
