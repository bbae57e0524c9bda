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
 */
public record GraphRuntime(String runtime, String quantize, Optional<Path> graphCache, int intraOpThreads) {
  /** The eager runtime, as before graphs existed. */
  public static final GraphRuntime TORCH = new GraphRuntime("torch", "none", Optional.empty(), 0);

  /** The weight precision of the graph. */
  public GraphOps.Precision precision() {
    return quantize.equals("int8") ? GraphOps.Precision.INT8 : GraphOps.Precision.FP32;
  }

  /**
   * Whether a safetensors checkpoint runs as a graph: {@code onnx} asks for it (and fails here
   * when the device or dtype rule it out); {@code auto} takes it on the CPU in fp32 when DJL's
   * OnnxRuntime engine is on the class path (or int8 is asked), else stays eager.
   *
   * @throws ConfigException when the options contradict each other, naming the fix
   */
  public boolean useGraph(String device, String dtype) {
    String d = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
    String t = dtype == null ? "fp32" : dtype.toLowerCase(Locale.ROOT);
    boolean fp32 = t.equals("fp32") || t.equals("float32") || t.equals("auto");
    boolean int8 = quantize.equals("int8");
    switch (runtime) {
      case "torch" -> {
        if (int8) {
          throw new ConfigException("quantize=int8 runs on the ONNX graph runtime; set runtime=onnx (or auto), not torch");
        }
        return false;
      }
      case "onnx" -> {
        if (!d.equals("cpu") && !d.equals("auto")) {
          throw new ConfigException("runtime=onnx runs on the CPU; device " + device + " needs runtime=torch");
        }
        if (!fp32) {
          throw new ConfigException("runtime=onnx computes in fp32" + (int8 ? " with int8 weights" : "") + "; dtype "
              + dtype + " needs runtime=torch");
        }
        return true;
      }
      default -> {
        if (int8) {
          return useGraphWithInt8(d, fp32, dtype, device);
        }
        return fp32 && onCpu(d) && GraphSession.engineAvailable();
      }
    }
  }

  private static boolean useGraphWithInt8(String d, boolean fp32, String dtype, String device) {
    if (!fp32) {
      throw new ConfigException("quantize=int8 keeps activations in fp32; dtype " + dtype + " does not apply");
    }
    if (!d.equals("cpu") && !d.equals("auto")) {
      throw new ConfigException("quantize=int8 runs on the CPU graph runtime; device " + device + " does not apply");
    }
    return true;
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
