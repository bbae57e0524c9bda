package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
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
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps)
        .singletonOrThrow();
  }
}
