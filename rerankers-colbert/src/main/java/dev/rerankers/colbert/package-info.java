/** The rerankers-colbert backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.colbert;
