/** The rerankers-api backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.api;
