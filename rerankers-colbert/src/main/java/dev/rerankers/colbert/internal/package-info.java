/**
 * Late-interaction plumbing: the ColBERT and PyLate recipes, the encoder with its projection,
 * MaxSim, the document-vector cache and the loaders. Not API.
 */
package dev.rerankers.colbert.internal;
