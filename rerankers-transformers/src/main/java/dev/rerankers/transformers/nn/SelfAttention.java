package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.checkpoint.Weights;

/**
 * Multi-head self-attention with separate query/key/value projections, named as in BERT
 * ({@code prefix.query}, {@code prefix.key}, {@code prefix.value}; transformers'
 * {@code BertSelfAttention}); other layouts pass their own names. Returns the attention context
 * before the output projection, [B, L, hidden].
 */
public final class SelfAttention {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final int heads;
  private final float scale;

  /** Projections from explicit layers. */
  public SelfAttention(Linear query, Linear key, Linear value, int heads) {
    this.query = query;
    this.key = key;
    this.value = value;
    this.heads = heads;
    this.scale = (float) (1.0 / Math.sqrt(query.outFeatures() / (double) heads));
  }

  /** BERT's names: {@code prefix.query}, {@code prefix.key}, {@code prefix.value}. */
  public static SelfAttention load(Weights w, String prefix, long hidden, int heads) {
    return new SelfAttention(
        Linear.load(w, prefix + "query", hidden, hidden),
        Linear.load(w, prefix + "key", hidden, hidden),
        Linear.load(w, prefix + "value", hidden, hidden),
        heads);
  }

  /**
   * Attends over {@code x} [B, L, hidden] with an additive mask broadcastable to [B, H, L, L].
   */
  public NDArray forward(NDArray x, NDArray additiveMask) {
    return forward(EagerOps.OPS, x, additiveMask);
  }

  /** Attends over {@code x} with {@code ops} and a mask from {@link Ops#paddingMask}. */
  public <T> T forward(Ops<T> ops, T x, T mask) {
    T q = query.forward(ops, x);
    T k = key.forward(ops, x);
    T v = value.forward(ops, x);
    return ops.attention(q, k, v, null, mask, heads, scale);
  }
}
