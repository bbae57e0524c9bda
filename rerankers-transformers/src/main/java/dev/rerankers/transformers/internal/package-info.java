/** Plumbing of the transformers backend: checkpoint readers, the cross-encoder scorer, formats. Not API. */
package dev.rerankers.transformers.internal;
