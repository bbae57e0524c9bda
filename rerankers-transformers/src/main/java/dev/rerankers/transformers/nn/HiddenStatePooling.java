package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** Sequence pooling over [B, L, H] hidden states. */
public final class HiddenStatePooling {
  private HiddenStatePooling() {}

  /** The first token ([CLS] / {@code <s>}): [B, H]. */
  public static NDArray first(NDArray hidden) {
    return hidden.get(new NDIndex(":, 0, :"));
  }

  /** The mean over real tokens (attention mask 1): [B, H]. */
  public static NDArray mean(NDArray hidden, NDArray attentionMask) {
    NDArray m = attentionMask.toType(hidden.getDataType(), false).expandDims(-1);
    return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
  }

  /** The last real token of each right-padded row: [B, H]. */
  public static NDArray lastToken(NDArray hidden, NDArray attentionMask) {
    NDArray last = attentionMask.toType(DataType.INT64, false).sum(new int[] {1}).sub(1);
    long b = hidden.getShape().get(0);
    long h = hidden.getShape().get(2);
    NDArray index = last.reshape(b, 1, 1).repeat(2, h);
    return hidden.gather(index, 1).reshape(b, h);
  }
}
