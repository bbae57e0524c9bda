package dev.rerankers.llmlayerwise.internal;

import java.util.Map;

/**
 * How a ranker turns a (query, document) pair into prompt tokens, and how its batches are padded.
 * Implementations are immutable and thread-safe.
 */
public interface PairPrompt {

  /** The prompt for one pair, truncated as the reference implementation truncates. */
  PromptTokens build(String query, String document);

  /** Whether batches are padded on the left (else right). */
  boolean leftPadding();

  /** Batches are padded to a multiple of this (1 = to the longest). */
  int padToMultipleOf();

  /** Facts for {@code RerankerInfo.details()}. */
  Map<String, String> describe();

  /** The first {@code n} ids of {@code ids} (all when shorter). */
  static long[] head(long[] ids, int n) {
    return ids.length <= n ? ids : java.util.Arrays.copyOf(ids, Math.max(0, n));
  }

  /** Concatenates id arrays. */
  static long[] concat(long[]... parts) {
    int n = 0;
    for (long[] p : parts) {
      n += p.length;
    }
    long[] out = new long[n];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
