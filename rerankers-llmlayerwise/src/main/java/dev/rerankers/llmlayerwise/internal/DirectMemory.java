package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.TensorInfo;
import dev.rerankers.transformers.checkpoint.TensorType;
import dev.rerankers.transformers.checkpoint.Weights;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A check before loading: on the CPU, F16/BF16 weights are widened to F32 in Java direct buffers
 * (F32 ones are memory-mapped and cost none), and the JVM caps direct memory at {@code
 * -XX:MaxDirectMemorySize} (default: the heap limit). A multi-billion-parameter half-precision
 * checkpoint would otherwise fail midway with an {@link OutOfMemoryError}; this says so up front
 * and names the JVM flag.
 */
final class DirectMemory {
  private DirectMemory() {}

  /**
   * @param loaded which tensors the model will load
   * @throws ModelLoadException when widening them needs more direct memory than the JVM allows
   */
  static void check(ModelSource source, Placement placement, Predicate<String> loaded, String model) {
    if (placement.device().isGpu()) {
      return;
    }
    long needed = 0;
    try (Weights w = Weights.open(source, placement)) {
      for (String k : w.keys()) {
        TensorInfo t = w.info(k).orElseThrow();
        if (loaded.test(k) && t.type() != TensorType.F32) {
          needed += t.size() * 4;
        }
      }
    }
    long limit = limit();
    if (needed > limit * 9 / 10) {
      throw new ModelLoadException(String.format(Locale.ROOT, "%s stores %.1f GB of fp16/bf16 weights that the CPU widens to "
          + "fp32 (%.1f GB of direct memory), above this JVM's limit of %.1f GB: start the JVM with "
          + "-XX:MaxDirectMemorySize=%dg (fp32 checkpoints are memory-mapped and need none), or run on a GPU",
          model, needed / 2e9, needed / 1e9, limit / 1e9, (long) Math.ceil(needed * 1.2 / (1L << 30))));
    }
  }

  /** {@code -XX:MaxDirectMemorySize}, else the JVM's default: the maximum heap size. */
  static long limit() {
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
        return parseSize(arg.substring(arg.indexOf('=') + 1));
      }
    }
    return Runtime.getRuntime().maxMemory();
  }

  static long parseSize(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = v.charAt(v.length() - 1);
    if ("kmgt".indexOf(last) >= 0) {
      unit = 1L << (10 * ("kmgt".indexOf(last) + 1));
      v = v.substring(0, v.length() - 1);
    }
    return Long.parseLong(v) * unit;
  }
}
