package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankProvider;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Runtime session settings, read from a spec and handed to DJL's OnnxRuntime engine as its
 * {@code Criteria} options ({@code intraOpNumThreads}, {@code interOpNumThreads}, {@code
 * optLevel}, {@code ortDevice}) and device.
 *
 * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, one per core)
 * @param interOpThreads threads across operators (0: default)
 * @param optLevel graph optimisation level, ONNX Runtime's {@code OptLevel} name
 * @param provider execution provider: {@code cpu}, {@code cuda}, {@code tensorrt}, {@code rocm}, {@code coreml}
 * @param gpuId the GPU ordinal for cuda/tensorrt, -1 on CPU
 */
public record OnnxOptions(int intraOpThreads, int interOpThreads, String optLevel, String provider, int gpuId) {

  /** Defaults: ONNX Runtime's thread pools, all graph optimisations, CPU. */
  public static final OnnxOptions DEFAULT = new OnnxOptions(0, 0, "ALL_OPT", "cpu", -1);

  public OnnxOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new ConfigException("thread counts must be >= 0, got intraOpThreads=" + intraOpThreads
          + ", interOpThreads=" + interOpThreads);
    }
  }

  /** The session settings a spec asks for. */
  public static OnnxOptions of(RerankerSpec spec) {
    int intra = nonNegative(spec, FlashRankProvider.INTRA_OP_THREADS);
    int inter = nonNegative(spec, FlashRankProvider.INTER_OP_THREADS);
    String level = optLevel(spec.option(FlashRankProvider.OPT_LEVEL).orElse("all"));
    String dtype = spec.option(RerankerSpec.DTYPE).orElse("fp32").toLowerCase(Locale.ROOT);
    if (!dtype.equals("fp32") && !dtype.equals("float32")) {
      throw new ConfigException("dtype " + dtype + " is not applied to ONNX models: an ONNX file has its own"
          + " precision; pick a variant file instead (option " + FlashRankProvider.FILE
          + ", e.g. onnx/model_fp16.onnx or onnx/model_quantized.onnx)");
    }
    String device = spec.option(RerankerSpec.DEVICE).orElse("cpu").toLowerCase(Locale.ROOT);
    int gpu = device.startsWith("gpu:") ? Integer.parseInt(device.substring(4)) : device.equals("gpu") ? 0 : -1;
    String provider = spec.option(FlashRankProvider.EXECUTION_PROVIDER)
        .map(p -> p.strip().toLowerCase(Locale.ROOT))
        .orElse(gpu >= 0 ? "cuda" : "cpu");
    switch (provider) {
      case "cpu" -> {
        if (gpu >= 0) {
          throw new ConfigException("device " + device + " conflicts with executionProvider=cpu");
        }
      }
      case "cuda", "tensorrt" -> gpu = Math.max(gpu, 0);
      case "rocm", "coreml" -> { }
      default -> throw new ConfigException("executionProvider must be cpu, cuda, tensorrt, rocm or coreml, got '"
          + provider + "'");
    }
    if (device.equals("auto") && provider.equals("cpu")) {
      gpu = -1;
    }
    return new OnnxOptions(intra, inter, level, provider, gpu);
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

  private static int nonNegative(RerankerSpec spec, String key) {
    int v = spec.intOption(key, 0);
    if (v < 0) {
      throw new ConfigException(key + " must be >= 0 (0: ONNX Runtime's default), got " + v);
    }
    return v;
  }

  static String optLevel(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "all", "all_opt", "99" -> "ALL_OPT";
      case "extended", "extended_opt", "2" -> "EXTENDED_OPT";
      case "basic", "basic_opt", "1" -> "BASIC_OPT";
      case "none", "no_opt", "disable_all", "0" -> "NO_OPT";
      default -> throw new ConfigException("optLevel must be all, extended, basic or none, got '" + value + "'");
    };
  }
}
