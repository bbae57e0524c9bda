package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.checkpoint.Weights;

/**
 * RMS normalisation (T5 {@code T5LayerNorm}, Llama/Qwen2 {@code RMSNorm}, Gemma {@code
 * GemmaRMSNorm}): {@code x / sqrt(mean(x²) + eps) * w}, computed in fp32. With {@code
 * offsetOne} (Gemma) the scale is {@code 1 + w}.
 */
public final class RmsNorm {
  private final NDArray weight;
  private final float eps;
  private final boolean offsetOne;
  private final NDArray onePlusWeight;

  private RmsNorm(NDArray weight, float eps, boolean offsetOne) {
    this.weight = weight;
    this.eps = eps;
    this.offsetOne = offsetOne;
    // (1 + w) in fp32, computed once at load in the weights' manager (not per call)
    this.onePlusWeight = offsetOne ? weight.toType(DataType.FLOAT32, false).add(1f) : null;
  }

  /** Loads {@code prefix.weight} [dim]. */
  public static RmsNorm load(Weights w, String prefix, long dim, double eps, boolean offsetOne) {
    return new RmsNorm(w.get(prefix + ".weight", dim), (float) eps, offsetOne);
  }

  /** Normalises the last dimension; the result lives in x's manager, in x's dtype. */
  public NDArray forward(NDArray x) {
    DataType type = x.getDataType();
    NDArray f = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray normed = f.mul(f.square().mean(new int[] {-1}, true).add(eps).sqrt().pow(-1));
    NDArray scaled;
    if (offsetOne) {
      scaled = normed.mul(onePlusWeight);
      return scaled.toType(type, false);
    }
    return normed.toType(type, false).mul(weight);
  }
}
