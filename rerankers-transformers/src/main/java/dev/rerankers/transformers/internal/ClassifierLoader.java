package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.hub.ModelSource;
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
    return switch (format) {
      case SAFETENSORS -> {
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
