package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.checkpoint.Weights;

/**
 * {@code torch.nn.LayerNorm} over the last dimension, weights under {@code prefix.weight} and
 * (optional: ModernBERT has none) {@code prefix.bias}.
 */
public final class LayerNorm {
  private final NDArray weight;
  private final NDArray bias;
  private final float eps;

  private LayerNorm(NDArray weight, NDArray bias, float eps) {
    this.weight = weight;
    this.bias = bias;
    this.eps = eps;
  }

  /** Loads {@code prefix.weight} [dim] and {@code prefix.bias} when present (else zeros). */
  public static LayerNorm load(Weights w, String prefix, long dim, double eps) {
    NDArray weight = w.get(prefix + ".weight", dim);
    NDArray bias = w.has(prefix + ".bias") ? w.get(prefix + ".bias", dim) : w.zeros(dim);
    return new LayerNorm(weight, bias, (float) eps);
  }

  /** Normalises the last dimension; the result lives in x's manager. */
  public NDArray forward(NDArray x) {
    return forward(EagerOps.OPS, x);
  }

  /** Normalises the last dimension with {@code ops}. */
  public <T> T forward(Ops<T> ops, T x) {
    return ops.layerNorm(x, weight, bias, eps);
  }

  /** {@code norm(x + residual)}, one fused kernel where the backend has it. */
  public <T> T forward(Ops<T> ops, T x, T residual) {
    return ops.addLayerNorm(x, residual, weight, bias, eps);
  }
}
