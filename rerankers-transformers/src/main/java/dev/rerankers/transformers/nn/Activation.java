package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import dev.rerankers.ConfigException;
import java.util.Locale;

/** The activations Hugging Face configs name ({@code hidden_act}, {@code hidden_activation}). */
public enum Activation {
  /** Exact (erf) GELU: {@code gelu}. */
  GELU,
  /** tanh-approximated GELU: {@code gelu_new}, {@code gelu_pytorch_tanh}, {@code gelu_fast}. */
  GELU_TANH,
  /** {@code relu}. */
  RELU,
  /** {@code silu} / {@code swish}. */
  SILU,
  /** {@code tanh}. */
  TANH;

  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

  /**
   * The activation for a config name.
   *
   * @throws ConfigException naming the supported ones
   */
  public static Activation of(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "gelu" -> GELU;
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_approximate" -> GELU_TANH;
      case "relu" -> RELU;
      case "silu", "swish" -> SILU;
      case "tanh" -> TANH;
      default -> throw new ConfigException("activation '" + name
          + "' is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish, tanh)");
    };
  }

  /** Applies the activation with {@code ops}. */
  public <T> T apply(Ops<T> ops, T x) {
    return ops.activation(x, this);
  }

  /** Applies the activation; the result lives in x's manager. */
  public NDArray apply(NDArray x) {
    return switch (this) {
      case GELU -> x.getNDArrayInternal().gelu();
      case GELU_TANH -> {
        NDArray inner = x.pow(3).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI).tanh();
        yield x.mul(0.5f).mul(inner.add(1f));
      }
      case RELU -> x.getNDArrayInternal().relu();
      case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
      case TANH -> x.tanh();
    };
  }
}
