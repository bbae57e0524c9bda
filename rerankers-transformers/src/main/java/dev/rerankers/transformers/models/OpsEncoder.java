package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import dev.rerankers.transformers.nn.EagerOps;
import dev.rerankers.transformers.nn.Ops;

/**
 * An encoder written once against {@link Ops}: it runs eagerly on NDArrays through {@link
 * EagerOps} and can be recorded into a graph, so both follow from its one {@link #forward(Ops,
 * Inputs)}.
 */
public interface OpsEncoder extends Encoder {

  @Override
  <T> T forward(Ops<T> ops, Inputs<T> input);

  /** The eager path: {@link #forward(Ops, Inputs)} on {@link EagerOps}. */
  @Override
  default NDArray forward(EncoderInput input) {
    return forward(EagerOps.OPS, Inputs.of(input));
  }

  @Override
  default boolean recordable() {
    return true;
  }
}
