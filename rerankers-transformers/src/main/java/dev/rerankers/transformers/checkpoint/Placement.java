package dev.rerankers.transformers.checkpoint;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.tokenizers.DjlTelemetry;
import java.util.Locale;

/**
 * Where and in which precision a model computes: the DJL PyTorch engine, a device and a dtype.
 *
 * <p>Devices: {@code cpu}, {@code gpu} / {@code gpu:N} (CUDA; needs a CUDA native jar, see
 * docs/transformers.md), {@code auto} (the first GPU when one is visible, else CPU; the default).
 * Dtypes: {@code fp32} (default, also {@code auto}), {@code fp16}, {@code bf16}. On the CPU every
 * request computes in fp32 with a logged notice: the PyTorch CPU engine aborts the JVM on bf16
 * arrays, and fp16 matrix products there are slow and lossy.
 *
 * @param engine the PyTorch engine
 * @param device the DJL device
 * @param dtype the compute dtype
 * @param requestedDtype the dtype the caller asked for (may differ on the CPU)
 */
public record Placement(Engine engine, Device device, DataType dtype, String requestedDtype) {
  private static final System.Logger LOG = System.getLogger(Placement.class.getName());

  /** The engine's name in DJL. */
  public static final String ENGINE = "PyTorch";

  /** fp32 on the CPU. */
  public static Placement cpu() {
    return resolve("cpu", "fp32");
  }

  /**
   * Resolves device and dtype option values ({@code null} means the default: auto, fp32).
   *
   * @throws ConfigException for an unknown value or a GPU that is not there
   * @throws ModelLoadException when the PyTorch engine cannot start
   */
  public static Placement resolve(String device, String dtype) {
    Engine engine = pytorch();
    String d = device == null ? "auto" : device.strip().toLowerCase(Locale.ROOT).replace("cuda", "gpu");
    int gpus = engine.getGpuCount();
    Device dev;
    if (d.equals("auto")) {
      dev = gpus > 0 ? Device.gpu(0) : Device.cpu();
    } else if (d.equals("cpu")) {
      dev = Device.cpu();
    } else if (d.equals("gpu") || d.startsWith("gpu:")) {
      int id = d.equals("gpu") ? 0 : parseIndex(d.substring(4), device);
      if (id >= gpus) {
        throw new ConfigException("device " + device + " requested but the PyTorch engine sees "
            + gpus + " GPU(s); the bundled native library is CPU-only: add a CUDA build of "
            + "ai.djl.pytorch:pytorch-native-cu* (see docs/transformers.md), or use device=cpu");
      }
      dev = Device.gpu(id);
    } else {
      throw new ConfigException("device must be cpu, gpu, gpu:N or auto, got '" + device + "'");
    }
    String t = dtype == null ? "fp32" : dtype.strip().toLowerCase(Locale.ROOT);
    DataType type = switch (t) {
      case "fp32", "float32", "float", "auto" -> DataType.FLOAT32;
      case "fp16", "float16", "half" -> DataType.FLOAT16;
      case "bf16", "bfloat16" -> DataType.BFLOAT16;
      default -> throw new ConfigException("dtype must be fp32, fp16 or bf16, got '" + dtype + "'");
    };
    if (type != DataType.FLOAT32 && !dev.isGpu()) {
      LOG.log(System.Logger.Level.INFO,
          "dtype {0} requested on the CPU: computing in fp32 (half-precision weights are widened on load)", t);
      type = DataType.FLOAT32;
    }
    return new Placement(engine, dev, type, t);
  }

  /** The PyTorch engine, started on first use. */
  public static Engine pytorch() {
    DjlTelemetry.optOut();
    try {
      Engine e = Engine.getEngine(ENGINE);
      if (e == null) {
        throw new ModelLoadException("DJL's PyTorch engine is not on the classpath (ai.djl.pytorch:pytorch-engine)");
      }
      return e;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      if (e instanceof ModelLoadException m) {
        throw m;
      }
      throw new ModelLoadException("DJL's PyTorch engine failed to start: " + e.getMessage()
          + " (is ai.djl.pytorch:pytorch-native-cpu with the linux-x86_64 classifier on the classpath?)", e);
    }
  }

  /** Short dtype name: fp32, fp16 or bf16. */
  public String dtypeName() {
    return switch (dtype) {
      case FLOAT16 -> "fp16";
      case BFLOAT16 -> "bf16";
      default -> "fp32";
    };
  }

  /** Whether the weights live on the CPU. */
  public boolean isCpu() {
    return !device.isGpu();
  }

  /** Short device name: cpu or gpu:N. */
  public String deviceName() {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  private static int parseIndex(String s, String original) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ConfigException("device must be cpu, gpu, gpu:N or auto, got '" + original + "'");
    }
  }
}
