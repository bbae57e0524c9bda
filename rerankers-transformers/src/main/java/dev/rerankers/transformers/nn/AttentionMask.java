package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Additive attention masks as transformers builds them: 0 where a key may be seen, the dtype's
 * most negative finite value ({@code torch.finfo(dtype).min}) where not. Masks are combined as
 * booleans first and converted once, so a row whose keys are all masked stays finite (uniform
 * weights), as in transformers.
 */
public final class AttentionMask {
  private AttentionMask() {}

  /** {@code torch.finfo(dtype).min}. */
  public static float minValue(DataType type) {
    return switch (type) {
      case FLOAT16 -> -65504f;
      case BFLOAT16 -> -3.3895314e38f;
      default -> -Float.MAX_VALUE;
    };
  }

  /**
   * The padding mask: [B, 1, 1, L] from a [B, L] int64 attention mask (1 = token, 0 = padding).
   */
  public static NDArray padding(NDArray attentionMask, DataType type) {
    NDArray allowed = attentionMask.toType(DataType.FLOAT32, false);
    NDArray add = allowed.neg().add(1f).mul(minValue(type));
    NDArray shaped = add.reshape(attentionMask.getShape().get(0), 1, 1, attentionMask.getShape().get(1));
    return type == DataType.FLOAT32 ? shaped : shaped.toType(type, false);
  }

  /**
   * Padding plus a band: key j is allowed for query i only when {@code |i - j| <= halfWindow}
   * (ModernBERT's local attention), [B, 1, L, L].
   */
  public static NDArray paddingAndBand(NDArray attentionMask, int halfWindow, DataType type) {
    long b = attentionMask.getShape().get(0);
    int len = (int) attentionMask.getShape().get(1);
    NDManager m = attentionMask.getManager();
    float[] band = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = 0; j < len; j++) {
        band[i * len + j] = Math.abs(i - j) <= halfWindow ? 1f : 0f;
      }
    }
    NDArray keys = attentionMask.toType(DataType.FLOAT32, false).reshape(b, 1, 1, len);
    NDArray allowed = keys.mul(m.create(band).reshape(1, 1, len, len));
    NDArray add = allowed.neg().add(1f).mul(minValue(type));
    return type == DataType.FLOAT32 ? add : add.toType(type, false);
  }
}
