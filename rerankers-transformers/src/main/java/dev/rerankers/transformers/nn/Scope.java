package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * Runs one step (a layer) in its own sub-manager so its intermediates are freed as soon as it
 * returns: the input and borrowed arrays are attached temporarily, the result is moved to the
 * input's manager. The DJL pattern from {@code BertBlock}.
 */
public final class Scope {
  private Scope() {}

  /** {@code step(input)} with intermediates freed on return. */
  public static NDArray run(NDArray input, UnaryOperator<NDArray> step, NDArray... borrowed) {
    NDManager parent = input.getManager();
    try (NDManager scope = parent.newSubManager()) {
      scope.tempAttachAll(input);
      for (NDArray b : borrowed) {
        if (b != null && b.getManager() == parent) {
          scope.tempAttachAll(b);
        }
      }
      NDArray out = step.apply(input);
      return scope.ret(out);
    }
  }
}
