package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.TransformersProvider;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.nn.Placement;
import java.util.List;
import java.util.Locale;

/** Which checkpoint format a model folder holds, and loading each one. */
public final class Formats {
  /** Native: config.json + safetensors, run by this module's architectures. */
  public static final String SAFETENSORS = "safetensors";
  /** A TorchScript export ({@code *.pt}) run by DJL's PyTorch engine. */
  public static final String TORCHSCRIPT = "torchscript";
  /** An ONNX export run by DJL's OnnxRuntime engine. */
  public static final String ONNX = "onnx";

  private Formats() {}

  /**
   * The format to load: the option when it is not {@code auto}; else safetensors when present,
   * then TorchScript, then ONNX.
   */
  public static String choose(ModelSource source, String option) {
    String f = option.strip().toLowerCase(Locale.ROOT);
    switch (f) {
      case SAFETENSORS, TORCHSCRIPT, ONNX -> {
        return f;
      }
      case "auto" -> {
      }
      default -> throw new ConfigException("format must be auto, safetensors, torchscript or onnx, got '" + option + "'");
    }
    List<String> files = source.files();
    if (files.contains("model.safetensors") || files.contains("model.safetensors.index.json")) {
      return SAFETENSORS;
    }
    if (files.stream().anyMatch(p -> p.endsWith(".pt") && !p.contains("/"))) {
      return TORCHSCRIPT;
    }
    if (files.stream().anyMatch(p -> p.endsWith(".onnx"))) {
      return ONNX;
    }
    throw new ModelLoadException("model " + source.id() + " has no model.safetensors, TorchScript (*.pt) or ONNX (*.onnx) file"
        + (source.isLocal() ? " (files: " + files + ")" : ""));
  }

  /** Loads a model in the chosen format. */
  public static LogitsModel load(String format, ModelSource source, RerankerSpec spec) {
    String device = spec.option(RerankerSpec.DEVICE).orElse(null);
    String dtype = spec.option(RerankerSpec.DTYPE).orElse(null);
    return switch (format) {
      case SAFETENSORS -> {
        int chunkMb = spec.intOption(TransformersProvider.CPU_CHUNK_MB, NativeLogits.DEFAULT_CPU_CHUNK_MB);
        if (chunkMb < 0) {
          throw new ConfigException(TransformersProvider.CPU_CHUNK_MB + " must be >= 0 (0 = never split), got " + chunkMb);
        }
        yield new NativeLogits(Architectures.loadClassifier(source, Placement.resolve(device, dtype)), chunkMb * (1L << 20));
      }
      case TORCHSCRIPT, ONNX -> {
        if (dtype != null && !dtype.equals("fp32") && !dtype.equals("auto")) {
          throw new ConfigException("dtype " + dtype + " applies to safetensors checkpoints; " + format
              + " exports run in the precision they were exported in");
        }
        yield ExportedLogits.load(format, source, device);
      }
      default -> throw new ConfigException("unknown format " + format);
    };
  }
}
