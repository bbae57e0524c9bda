/**
 * Plumbing of rerankers-flashrank: ONNX Runtime sessions through DJL, batching, the FlashRank
 * catalogue download and safe unzip, the dense ranker and its embedding cache. Not API: no
 * compatibility promise.
 */
package dev.rerankers.flashrank.internal;
