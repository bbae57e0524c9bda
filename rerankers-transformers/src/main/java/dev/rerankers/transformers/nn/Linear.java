package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.checkpoint.Weights;

/** {@code torch.nn.Linear}: {@code y = x Wᵀ + b}; weights under {@code prefix + "weight"/"bias"}. */
public final class Linear {
  private final NDArray weight;
  private final NDArray bias;

  /** A linear layer from explicit arrays ({@code bias} may be null). */
  public Linear(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** Loads {@code prefix.weight} and, when present, {@code prefix.bias}. */
  public static Linear load(Weights w, String prefix) {
    return new Linear(w.get(prefix + ".weight"), w.optional(prefix + ".bias").orElse(null));
  }

  /** Loads {@code prefix.weight} of shape [out, in] and, when present, {@code prefix.bias}. */
  public static Linear load(Weights w, String prefix, long in, long out) {
    NDArray weight = w.get(prefix + ".weight", out, in);
    NDArray bias = w.has(prefix + ".bias") ? w.get(prefix + ".bias", out) : null;
    return new Linear(weight, bias);
  }

  /** Applies the layer to the last dimension of {@code x}; the result lives in x's manager. */
  public NDArray forward(NDArray x) {
    return forward(EagerOps.OPS, x);
  }

  /** Applies the layer to the last dimension of {@code x} with {@code ops}. */
  public <T> T forward(Ops<T> ops, T x) {
    return ops.linear(x, weight, bias);
  }

  /** The weight [out, in]. */
  public NDArray weight() {
    return weight;
  }

  /** The bias [out], or null. */
  public NDArray bias() {
    return bias;
  }

  /** Output features. */
  public long outFeatures() {
    return weight.getShape().get(0);
  }

  /** Input features. */
  public long inFeatures() {
    return weight.getShape().get(1);
  }
}
