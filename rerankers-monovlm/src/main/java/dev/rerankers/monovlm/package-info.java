/**
 * The rerankers-monovlm backend: image-document ranking with MonoQwen2-VL. Its one public type,
 * {@link dev.rerankers.monovlm.MonoVlmProvider}, registers through {@code META-INF/services};
 * users reach it with {@code Reranker.load("monovlm")} or {@code "monovlm:<model or adapter>"}
 * and rank {@code Document.of(Document.Image.fromPath(...))} documents. Plumbing (image decoding,
 * the Qwen2-VL image processor, the prompt) lives in {@code ...internal}, with no compatibility
 * promise.
 */
package dev.rerankers.monovlm;
