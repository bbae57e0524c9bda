package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.checkpoint.Weights;

/** {@code torch.nn.Embedding}: rows of {@code prefix.weight} looked up by id. */
public final class Embedding {
  private final NDArray weight;

  /** An embedding table from an array of shape [num, dim]. */
  public Embedding(NDArray weight) {
    this.weight = weight;
  }

  /** Loads {@code prefix.weight}. */
  public static Embedding load(Weights w, String prefix) {
    return new Embedding(w.get(prefix + ".weight"));
  }

  /** Loads {@code prefix.weight} checked against [num, dim]. */
  public static Embedding load(Weights w, String prefix, long num, long dim) {
    return new Embedding(w.get(prefix + ".weight", num, dim));
  }

  /**
   * Looks up int64 ids (any shape); the result, shape {@code ids.shape + [dim]}, lives in the ids'
   * manager. Ids must be in range: callers validate them in Java before this native call.
   */
  public NDArray forward(NDArray ids) {
    return forward(EagerOps.OPS, ids);
  }

  /** Looks up int64 ids with {@code ops}. */
  public <T> T forward(Ops<T> ops, T ids) {
    return ops.embedding(ids, weight);
  }

  /** The number of rows. */
  public long size() {
    return weight.getShape().get(0);
  }

  /** The row width. */
  public long dim() {
    return weight.getShape().get(1);
  }

  /** The table itself (tied output heads use it as a weight). */
  public NDArray weight() {
    return weight;
  }
}
