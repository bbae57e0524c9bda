package dev.rerankers.transformers.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The format a cross-encoder checkpoint comes in, and which one a model folder holds. Choosing
 * only: {@link ClassifierLoader} loads the chosen format.
 */
public enum CheckpointFormat {
  /** Native: config.json + safetensors, run by this module's architectures. */
  SAFETENSORS,
  /** A TorchScript export ({@code *.pt}) run by DJL's PyTorch engine. */
  TORCHSCRIPT,
  /** An ONNX export run by DJL's OnnxRuntime engine. */
  ONNX;

  /** The name the {@code format} option and {@code info()} use: {@code safetensors}, {@code torchscript}, {@code onnx}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format a {@code format} option value names; empty for {@code auto} (pick from the files).
   *
   * @throws IllegalArgumentException for any other value (the option's declaration refuses those first)
   */
  public static Optional<CheckpointFormat> named(String option) {
    if (option.equalsIgnoreCase("auto")) {
      return Optional.empty();
    }
    return Optional.of(valueOf(option.toUpperCase(Locale.ROOT)));
  }

  /**
   * The format a model's files hold: safetensors when present, then TorchScript ({@code *.pt} at
   * the top level), then ONNX.
   *
   * @throws ModelLoadException when the model has none of them
   */
  public static CheckpointFormat detect(ModelSource source) {
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

  @Override
  public String toString() {
    return id();
  }
}
