/** The rerankers-monovlm backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.monovlm;
