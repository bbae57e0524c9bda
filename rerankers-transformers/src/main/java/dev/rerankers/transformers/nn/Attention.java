package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled dot-product attention and the head reshapes around it, as transformers' {@code
 * eager_attention_forward}: {@code softmax(q kᵀ · scale + mask) v}.
 */
public final class Attention {
  private Attention() {}

  /** [B, L, heads·d] → [B, heads, L, d]. */
  public static NDArray splitHeads(NDArray x, int heads) {
    Shape s = x.getShape();
    long d = s.get(2) / heads;
    return x.reshape(s.get(0), s.get(1), heads, d).transpose(0, 2, 1, 3);
  }

  /** [B, heads, L, d] → [B, L, heads·d]. */
  public static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }

  /**
   * Attention weights: {@code softmax(q kᵀ · scale + mask)}, softmax in fp32 as transformers does.
   *
   * @param q [B, H, Lq, d]
   * @param k [B, H, Lk, d]
   * @param additiveMask broadcastable to [B, H, Lq, Lk] (0 where allowed, dtype minimum where
   *     masked), or null
   */
  public static NDArray weights(NDArray q, NDArray k, NDArray additiveMask, float scale) {
    // scaling q [.., Lq, d] rather than the scores [.., Lq, Lk] touches d/Lk as much memory
    NDArray scores = q.mul(scale).matMul(k.transpose(0, 1, 3, 2));
    return softmax(scores, additiveMask, q.getDataType());
  }

  /**
   * {@code softmax(scores + mask)} over the last dimension, in fp32, cast back to {@code type}.
   * {@code scores} must be a fresh array the caller does not use again: the mask is added in place
   * when its shape broadcasts into it, sparing one [B, H, Lq, Lk] allocation per layer.
   */
  public static NDArray softmax(NDArray scores, NDArray additiveMask, DataType type) {
    if (additiveMask != null) {
      scores = broadcastsInto(additiveMask, scores) ? scores.addi(additiveMask) : scores.add(additiveMask);
    }
    if (type != DataType.FLOAT32) {
      return scores.toType(DataType.FLOAT32, false).softmax(-1).toType(type, false);
    }
    return scores.softmax(-1);
  }

  private static boolean broadcastsInto(NDArray mask, NDArray target) {
    Shape m = mask.getShape();
    Shape t = target.getShape();
    if (mask.getDataType() != target.getDataType() || m.dimension() > t.dimension()) {
      return false;
    }
    int offset = t.dimension() - m.dimension();
    for (int i = 0; i < m.dimension(); i++) {
      if (m.get(i) != 1 && m.get(i) != t.get(i + offset)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Full attention: {@code weights(q, k, mask, scale) · v}, [B, H, Lq, d]; in fp32 on PyTorch one
   * fused kernel call ({@link FusedAttention}).
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask, float scale) {
    if (FusedAttention.usable(q, k, v, additiveMask)) {
      return FusedAttention.attend(q, k, v, additiveMask, scale);
    }
    return weights(q, k, additiveMask, scale).matMul(v);
  }
}
