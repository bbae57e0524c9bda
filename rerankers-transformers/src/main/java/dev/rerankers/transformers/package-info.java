/** The rerankers-transformers backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.transformers;
