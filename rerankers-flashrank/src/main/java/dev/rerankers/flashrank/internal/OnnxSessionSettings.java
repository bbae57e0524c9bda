package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.spi.OptionValues;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Runtime session settings, handed to DJL's OnnxRuntime engine as its {@code Criteria}
 * options ({@code intraOpNumThreads}, {@code interOpNumThreads}, {@code optLevel}, {@code
 * ortDevice}) and device.
 *
 * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, one per core)
 * @param interOpThreads threads across operators (0: default)
 * @param optLevel graph optimisation level, ONNX Runtime's {@code OptLevel} name ({@code ALL_OPT}, ...)
 * @param provider execution provider: {@code cpu}, {@code cuda}, {@code tensorrt}, {@code rocm}, {@code coreml}
 * @param gpuId the GPU ordinal for cuda/tensorrt, -1 on CPU
 */
public record OnnxSessionSettings(int intraOpThreads, int interOpThreads, String optLevel, String provider, int gpuId) {

  /**
   * The session a load asks for (values already checked against {@link DeclaredOptions}).
   *
   * @throws ConfigException when {@code device} and {@code executionProvider} contradict each other
   */
  public static OnnxSessionSettings of(OptionValues o) {
    String device = o.get(DeclaredOptions.DEVICE);
    int gpu = device.startsWith("gpu:") ? Integer.parseInt(device.substring(4)) : device.equals("gpu") ? 0 : -1;
    String provider = o.optional(DeclaredOptions.EXECUTION_PROVIDER).orElse(gpu >= 0 ? "cuda" : "cpu");
    switch (provider) {
      case "cpu" -> {
        if (gpu >= 0) {
          throw new ConfigException("device " + device + " conflicts with executionProvider=cpu");
        }
      }
      case "cuda", "tensorrt" -> gpu = Math.max(gpu, 0);
      default -> { }
    }
    if (device.equals("auto") && provider.equals("cpu")) {
      gpu = -1;
    }
    return new OnnxSessionSettings(o.get(DeclaredOptions.INTRA_OP_THREADS), o.get(DeclaredOptions.INTER_OP_THREADS),
        ortOptLevel(o.get(DeclaredOptions.OPT_LEVEL)), provider, gpu);
  }

  /** The options for DJL's {@code Criteria.optOption}. */
  public Map<String, String> criteriaOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    if (intraOpThreads > 0) {
      m.put("intraOpNumThreads", Integer.toString(intraOpThreads));
    }
    if (interOpThreads > 0) {
      m.put("interOpNumThreads", Integer.toString(interOpThreads));
    }
    m.put("optLevel", optLevel);
    switch (provider) {
      case "tensorrt" -> m.put("ortDevice", "TensorRT");
      case "rocm" -> m.put("ortDevice", "ROCM");
      case "coreml" -> m.put("ortDevice", "CoreML");
      default -> { }
    }
    return m;
  }

  /** The device label shown in {@code RerankerInfo}. */
  public String deviceLabel() {
    return gpuId >= 0 ? "gpu:" + gpuId + " (" + provider + ")" : provider.equals("cpu") ? "cpu" : provider;
  }

  /**
   * The {@code optLevel} option's value (all, extended, basic, none; ONNX Runtime's own names and
   * numbers are accepted too), in its canonical lower-case form.
   */
  static String parseOptLevel(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "all", "all_opt", "99" -> "all";
      case "extended", "extended_opt", "2" -> "extended";
      case "basic", "basic_opt", "1" -> "basic";
      case "none", "no_opt", "disable_all", "0" -> "none";
      default -> throw new ConfigException("optLevel must be all, extended, basic or none, got '" + value + "'");
    };
  }

  private static String ortOptLevel(String canonical) {
    return switch (canonical) {
      case "extended" -> "EXTENDED_OPT";
      case "basic" -> "BASIC_OPT";
      case "none" -> "NO_OPT";
      default -> "ALL_OPT";
    };
  }
}
