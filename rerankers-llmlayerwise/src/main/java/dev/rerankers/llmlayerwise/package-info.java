/** The rerankers-llmlayerwise backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.llmlayerwise;
