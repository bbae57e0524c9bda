package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Additive attention masks for decoders, as transformers' {@code create_causal_mask} / {@code
 * create_sliding_window_causal_mask} build them for eager attention: query {@code i} may see key
 * {@code j} when {@code j ≤ i}, the key is a token (not padding), and, with a sliding window
 * {@code w}, {@code i − j < w}. Padding may be on either side: pad keys are masked by the
 * attention mask, positions are {@code 0..L−1} (transformers' default without explicit position
 * ids; rotary embeddings are shift-invariant, so left padding changes scores only by rounding).
 *
 * <p>The conditions are combined as booleans and converted once (0 where allowed, the dtype's
 * most negative finite value where not), so a query row with no visible key (a left-padding row)
 * stays finite, with uniform weights, as in transformers.
 */
public final class CausalMask {
  private CausalMask() {}

  /**
   * The mask [B, 1, L, L] for a [B, L] attention mask (1 = token, 0 = padding), in the batch's
   * manager.
   *
   * @param slidingWindow the window {@code w} ({@code i − j < w}), or 0 for full causal attention
   */
  public static NDArray of(NDArray attentionMask, int slidingWindow, DataType type) {
    return of(attentionMask, Math.toIntExact(attentionMask.getShape().get(1)), slidingWindow, type);
  }

  /**
   * The mask [B, 1, Q, K] for queries at the last {@code queries} of {@code K} positions, over a
   * [B, K] key mask (1 = token, 0 = padding): the rows a batch of continuations needs when the
   * first {@code K − Q} positions are a cached prefix. {@code queries == K} is {@link #of(NDArray,
   * int, DataType)}.
   *
   * @param keyMask [B, K], the cached prefix's keys first
   * @param queries the number Q of new positions, 1..K
   * @param slidingWindow the window {@code w} ({@code i − j < w}), or 0 for full causal attention
   */
  public static NDArray of(NDArray keyMask, int queries, int slidingWindow, DataType type) {
    long b = keyMask.getShape().get(0);
    long len = keyMask.getShape().get(1);
    if (queries < 1 || queries > len) {
      throw new IllegalArgumentException(queries + " queries over " + len + " keys");
    }
    NDManager m = keyMask.getManager();
    NDArray key = m.arange(0f, (float) len, 1f).reshape(1, len);
    NDArray query = m.arange((float) (len - queries), (float) len, 1f).reshape(queries, 1);
    NDArray allowed = key.lte(query);
    if (slidingWindow > 0) {
      allowed = allowed.logicalAnd(key.gt(query.sub((float) slidingWindow)));
    }
    NDArray tokens = keyMask.toType(DataType.FLOAT32, false).reshape(b, 1, 1, len);
    NDArray visible = allowed.toType(DataType.FLOAT32, false).reshape(1, 1, queries, len).mul(tokens);
    NDArray add = visible.neg().add(1f).mul(AttentionMask.minValue(type));
    return type == DataType.FLOAT32 ? add : add.toType(type, false);
  }
}
