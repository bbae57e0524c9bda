/** The rerankers-flashrank backend. Its provider registers through {@code META-INF/services}. */
package dev.rerankers.flashrank;
