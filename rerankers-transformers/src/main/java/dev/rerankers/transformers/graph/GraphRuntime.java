package dev.rerankers.transformers.graph;

import ai.djl.util.cuda.CudaUtils;
import dev.rerankers.ConfigException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code runtime}, {@code quantize}, {@code graphCache} and {@code intraOpThreads} options of
 * one load, and the choice between the eager libtorch runtime and a recorded ONNX graph.
 *
 * @param runtime {@code auto}, {@code torch} or {@code onnx}
 * @param quantize {@code none} or {@code int8} (graph only)
 * @param graphCache where graphs are kept, or empty for the default ({@link
 *     dev.rerankers.transformers.graph.GraphCache#root})
 * @param intraOpThreads ONNX Runtime's threads per operator (0: its default, one per core)
 * @param memoryArena whether ONNX Runtime keeps activation memory in its arena between batches
 */
public record GraphRuntime(String runtime, String quantize, Optional<Path> graphCache, int intraOpThreads,
    boolean memoryArena) {
  /** The eager runtime, as before graphs existed. */
  public static final GraphRuntime TORCH = new GraphRuntime("torch", "none", Optional.empty(), 0, true);

  /** The weight precision of the graph. */
  public GraphOps.Precision precision() {
    return quantize.equals("int8") ? GraphOps.Precision.INT8 : GraphOps.Precision.FP32;
  }

  /**
   * Whether a safetensors checkpoint runs as a graph: {@code onnx} asks for it (and fails here when
   * the device rules it out); {@code auto} takes it on the CPU when DJL's OnnxRuntime engine is on
   * the class path (or int8 is asked), else stays eager. The dtype does not matter: the CPU
   * computes in fp32 either way (half precision is widened, see {@code Placement}).
   *
   * @throws ConfigException when the options contradict each other, naming the fix
   */
  public boolean useGraph(String device, String dtype) {
    String d = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
    boolean int8 = quantize.equals("int8");
    boolean cpuAllowed = d.equals("cpu") || d.equals("auto");
    return switch (runtime) {
      case "torch" -> {
        if (int8) {
          throw new ConfigException("quantize=int8 runs on the ONNX graph runtime; set runtime=onnx (or auto), not torch");
        }
        yield false;
      }
      case "onnx" -> {
        if (!cpuAllowed) {
          throw new ConfigException("runtime=onnx runs on the CPU; device " + device + " needs runtime=torch");
        }
        yield true;
      }
      default -> {
        if (int8 && !cpuAllowed) {
          throw new ConfigException("quantize=int8 runs on the CPU graph runtime; device " + device + " needs quantize=none");
        }
        yield int8 || (onCpu(d) && GraphSession.engineAvailable());
      }
    };
  }

  /** {@code cpu}, or {@code auto} on a machine without a CUDA GPU (libtorch would pick the GPU otherwise). */
  private static boolean onCpu(String device) {
    if (device.equals("cpu")) {
      return true;
    }
    if (!device.equals("auto")) {
      return false;
    }
    try {
      return CudaUtils.getGpuCount() == 0;
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }
}
