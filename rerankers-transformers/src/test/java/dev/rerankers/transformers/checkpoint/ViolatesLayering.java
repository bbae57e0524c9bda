package dev.rerankers.transformers.checkpoint;

import dev.rerankers.tokenizers.internal.NormalizerPatch;
import dev.rerankers.transformers.nn.Linear;

/**
 * Deliberate violations for {@code LayeringTest}, in test sources so the checked main classes never
 * include it: a checkpoint class that uses a block, and a class that reaches into another module's
 * internal package. Never run.
 */
final class ViolatesLayering {
  private ViolatesLayering() {}

  static Linear block() {
    return null;
  }

  static Class<?> foreignInternal() {
    return NormalizerPatch.class;
  }
}
