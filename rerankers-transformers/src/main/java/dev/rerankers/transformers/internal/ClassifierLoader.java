package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.graph.GraphRuntime;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.Architectures;

/** Loads a cross-encoder's sequence classifier in a chosen {@link CheckpointFormat}. */
public final class ClassifierLoader {
  private ClassifierLoader() {}

  /**
   * Loads a model in the chosen format.
   *
   * @param device the device option ({@code null} = auto)
   * @param dtype the dtype option ({@code null} = fp32); exports refuse anything but fp32
   * @param cpuChunkBytes for safetensors on CPU, the largest layer intermediate a forward pass may
   *     create (0 = never split)
   */
  public static LogitsModel load(CheckpointFormat format, ModelSource source, String device, String dtype, long cpuChunkBytes) {
    return load(format, source, device, dtype, cpuChunkBytes, GraphRuntime.TORCH);
  }

  /**
   * Loads a model in the chosen format; a safetensors checkpoint runs as a recorded ONNX graph when
   * {@code graph} says so ({@link GraphRuntime#useGraph}).
   *
   * @throws ConfigException when a graph is asked for an export (TorchScript, ONNX)
   */
  public static LogitsModel load(CheckpointFormat format, ModelSource source, String device, String dtype,
      long cpuChunkBytes, GraphRuntime graph) {
    if (format != CheckpointFormat.SAFETENSORS && (graph.runtime().equals("onnx") || graph.quantize().equals("int8"))) {
      throw new ConfigException("runtime=onnx and quantize=int8 record safetensors checkpoints as graphs; format "
          + format + " runs as exported (for an ONNX file use it as it is, or type onnx-cross-encoder)");
    }
    return switch (format) {
      case SAFETENSORS -> {
        if (graph.useGraph(device, dtype)) {
          yield GraphLogits.load(source, graph.precision(), graph.intraOpThreads(), graph.memoryArena(),
              graph.graphCache(), cpuChunkBytes); // the graph runs on the CPU; no Placement: it would start libtorch
        }
        Placement placement = Placement.resolve(device, dtype);
        yield new NativeLogits(Architectures.loadClassifier(source, placement), cpuChunkBytes);
      }
      case TORCHSCRIPT, ONNX -> {
        if (dtype != null && !dtype.equals("fp32") && !dtype.equals("auto")) {
          throw new ConfigException("dtype " + dtype + " applies to safetensors checkpoints; " + format
              + " exports run in the precision they were exported in");
        }
        yield ExportedLogits.load(format, source, device);
      }
    };
  }
}
