/**
 * The rerankers-llmlayerwise backend: decoder-LLM pointwise rankers (BGE layerwise and
 * lightweight, bge-reranker-v2-gemma, mxbai-rerank v2, Qwen3-Reranker). Its one public type,
 * {@link dev.rerankers.llmlayerwise.LlmProvider}, registers through {@code META-INF/services};
 * users reach it with {@code Reranker.load("llm-layerwise:...")}, {@code "mxbaiv2:..."} or {@code
 * "qwen3-reranker:..."}. Plumbing lives in {@code ...internal} (no compatibility promise).
 */
package dev.rerankers.llmlayerwise;
