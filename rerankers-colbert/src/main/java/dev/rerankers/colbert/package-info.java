/**
 * The rerankers-colbert backend: ColBERT and PyLate late-interaction rankers ({@link
 * dev.rerankers.colbert.ColbertProvider}). Plumbing lives in {@code dev.rerankers.colbert.internal}
 * and carries no compatibility promise.
 */
package dev.rerankers.colbert;
