package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.ConfigException;
import java.util.Locale;

/**
 * Rotary position embeddings with a config's rope scaling, as transformers' {@code
 * modeling_rope_utils} computes the inverse frequencies: {@code default}, {@code linear}
 * (frequencies ÷ factor), {@code dynamic} (NTK: the base grows once a sequence exceeds {@code
 * max_position_embeddings}) and {@code yarn} (interpolation/extrapolation ramp plus an attention
 * factor on cos and sin). The tables use the {@code rotate_half} layout of {@link Rotary}; apply
 * them with {@link Rotary#apply}.
 *
 * <p>Dynamic NTK is computed per call from the batch's length; transformers keeps the largest
 * length seen so far in the module and reuses its frequencies for shorter later calls above the
 * original length. Stateless here: a batch's scores never depend on earlier batches.
 *
 * <p>Immutable and thread-safe.
 */
public final class RotaryScaling {
  /** The rope types supported. */
  public enum Type { DEFAULT, LINEAR, DYNAMIC, YARN }

  private final Type type;
  private final int dim;
  private final double theta;
  private final double factor;
  private final int maxPositionEmbeddings;
  private final float[] staticInvFreq;
  private final float attentionFactor;

  private RotaryScaling(Type type, int dim, double theta, double factor, int maxPositionEmbeddings,
      float[] staticInvFreq, float attentionFactor) {
    this.type = type;
    this.dim = dim;
    this.theta = theta;
    this.factor = factor;
    this.maxPositionEmbeddings = maxPositionEmbeddings;
    this.staticInvFreq = staticInvFreq;
    this.attentionFactor = attentionFactor;
  }

  /** Plain rotary embeddings over {@code dim} channels with base {@code theta}. */
  public static RotaryScaling plain(int dim, double theta) {
    checkDim(dim);
    return new RotaryScaling(Type.DEFAULT, dim, theta, 1, 0, defaultInvFreq(dim, theta), 1f);
  }

  /** Linear scaling: the frequencies divided by {@code factor}. */
  public static RotaryScaling linear(int dim, double theta, double factor) {
    checkDim(dim);
    checkFactor(factor, "linear");
    float[] f = defaultInvFreq(dim, theta);
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (f[i] / factor);
    }
    return new RotaryScaling(Type.LINEAR, dim, theta, factor, 0, f, 1f);
  }

  /**
   * Dynamic NTK scaling: for a sequence of {@code L > maxPositionEmbeddings} positions the base
   * becomes {@code θ · (factor·L/max − (factor − 1))^(d/(d−2))}.
   */
  public static RotaryScaling dynamic(int dim, double theta, double factor, int maxPositionEmbeddings) {
    checkDim(dim);
    checkFactor(factor, "dynamic");
    if (maxPositionEmbeddings < 1) {
      throw new ConfigException("dynamic rope scaling needs max_position_embeddings >= 1, got " + maxPositionEmbeddings);
    }
    return new RotaryScaling(Type.DYNAMIC, dim, theta, factor, maxPositionEmbeddings, null, 1f);
  }

  /**
   * YaRN scaling (transformers' {@code _compute_yarn_parameters}).
   *
   * @param attentionFactor the configured {@code attention_factor}, or null to derive it from the factor
   * @param betaFast {@code beta_fast} (default 32)
   * @param betaSlow {@code beta_slow} (default 1)
   * @param mscale {@code mscale}, or null
   * @param mscaleAllDim {@code mscale_all_dim}, or null
   * @param truncate {@code truncate} (default true)
   */
  public static RotaryScaling yarn(int dim, double theta, double factor, int originalMaxPositionEmbeddings,
      Double attentionFactor, double betaFast, double betaSlow, Double mscale, Double mscaleAllDim, boolean truncate) {
    checkDim(dim);
    checkFactor(factor, "yarn");
    if (originalMaxPositionEmbeddings < 1) {
      throw new ConfigException("yarn rope scaling needs original_max_position_embeddings >= 1, got "
          + originalMaxPositionEmbeddings);
    }
    double att;
    if (attentionFactor != null) {
      att = attentionFactor;
    } else if (mscale != null && mscaleAllDim != null && mscale != 0 && mscaleAllDim != 0) {
      att = yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim);
    } else {
      att = yarnMscale(factor, 1);
    }
    double low = correctionDim(betaFast, dim, theta, originalMaxPositionEmbeddings);
    double high = correctionDim(betaSlow, dim, theta, originalMaxPositionEmbeddings);
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) {
      high += 0.001;
    }
    int half = dim / 2;
    float[] f = new float[half];
    for (int i = 0; i < half; i++) {
      float posFreq = (float) Math.pow(theta, (float) (2 * i) / dim);
      float extrapolation = 1f / posFreq;
      float interpolation = 1f / ((float) factor * posFreq);
      float ramp = (float) Math.min(1, Math.max(0, ((float) i - (float) low) / (float) (high - low)));
      float extrapolationFactor = 1f - ramp;
      f[i] = interpolation * (1f - extrapolationFactor) + extrapolation * extrapolationFactor;
    }
    return new RotaryScaling(Type.YARN, dim, theta, factor, originalMaxPositionEmbeddings, f, (float) att);
  }

  /**
   * Reads a rope type and its parameters from a config's {@code rope_parameters} (transformers
   * 5) or {@code rope_scaling} (v4, also MiniCPM's {@code {"type", "factor"}}); {@code null}
   * means no scaling.
   *
   * @param get looks a parameter up by name ({@code "rope_type"}, {@code "factor"}, ...), null when absent
   * @throws ConfigException for an unsupported type or missing parameter
   */
  public static RotaryScaling fromParameters(int dim, double theta, int maxPositionEmbeddings,
      java.util.function.Function<String, Object> get) {
    if (get == null) {
      return plain(dim, theta);
    }
    Object t = get.apply("rope_type");
    if (t == null) {
      t = get.apply("type");
    }
    String kind = t == null ? "default" : t.toString().toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "default" -> plain(dim, theta);
      case "linear" -> linear(dim, theta, number(get, "factor", null, kind));
      case "dynamic" -> dynamic(dim, theta, number(get, "factor", null, kind), maxPositionEmbeddings);
      case "yarn" -> {
        Object orig = get.apply("original_max_position_embeddings");
        int original = orig instanceof Number n ? n.intValue() : maxPositionEmbeddings;
        Object fac = get.apply("factor");
        double factor = fac instanceof Number n ? n.doubleValue() : (double) maxPositionEmbeddings / original;
        Object trunc = get.apply("truncate");
        yield yarn(dim, theta, factor, original, optionalNumber(get, "attention_factor"),
            number(get, "beta_fast", 32.0, kind), number(get, "beta_slow", 1.0, kind),
            optionalNumber(get, "mscale"), optionalNumber(get, "mscale_all_dim"),
            !(trunc instanceof Boolean b) || b);
      }
      default -> throw new ConfigException("rope type '" + kind
          + "' is not supported (supported: default, linear, dynamic, yarn)");
    };
  }

  /** The rope type. */
  public Type type() {
    return type;
  }

  /** The number of rotated channels (the head dimension). */
  public int dim() {
    return dim;
  }

  /** The factor cos and sin are multiplied by (YaRN), else 1. */
  public float attentionFactor() {
    return attentionFactor;
  }

  /** The inverse frequencies for a sequence of {@code length} positions (a copy). */
  public float[] invFreq(int length) {
    if (type == Type.DYNAMIC) {
      double base = theta;
      if (length > maxPositionEmbeddings) {
        base = theta * Math.pow(factor * length / maxPositionEmbeddings - (factor - 1), (double) dim / (dim - 2));
      }
      return defaultInvFreq(dim, base);
    }
    return staticInvFreq.clone();
  }

  /** cos and sin tables [L, dim] for positions 0..L-1, in the given manager and dtype. */
  public NDList tables(NDManager manager, int length, DataType type) {
    float[] inv = invFreq(length);
    int half = dim / 2;
    float[] cos = new float[length * dim];
    float[] sin = new float[length * dim];
    for (int p = 0; p < length; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * inv[i];
        float c = (float) Math.cos(angle) * attentionFactor;
        float s = (float) Math.sin(angle) * attentionFactor;
        cos[p * dim + i] = c;
        cos[p * dim + i + half] = c;
        sin[p * dim + i] = s;
        sin[p * dim + i + half] = s;
      }
    }
    NDArray c = manager.create(cos).reshape(length, dim);
    NDArray s = manager.create(sin).reshape(length, dim);
    if (type != DataType.FLOAT32) {
      c = c.toType(type, false);
      s = s.toType(type, false);
    }
    return new NDList(c, s);
  }

  @Override
  public String toString() {
    return "RotaryScaling[" + type.name().toLowerCase(Locale.ROOT) + ", dim=" + dim + ", theta=" + theta
        + (type == Type.DEFAULT ? "" : ", factor=" + factor) + "]";
  }

  /** {@code 1 / θ^(2i/d)} in float32, as transformers computes it. */
  static float[] defaultInvFreq(int dim, double theta) {
    float[] f = new float[dim / 2];
    for (int i = 0; i < f.length; i++) {
      float exponent = (float) (2 * i) / dim;
      f[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
    }
    return f;
  }

  private static double yarnMscale(double scale, double mscale) {
    return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
  }

  private static double correctionDim(double rotations, int dim, double base, int maxPositions) {
    return dim * Math.log(maxPositions / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
  }

  private static void checkDim(int dim) {
    if (dim <= 0 || dim % 2 != 0) {
      throw new ConfigException("rotary dimension must be even and positive, got " + dim);
    }
  }

  private static void checkFactor(double factor, String kind) {
    if (!(factor >= 1)) {
      throw new ConfigException(kind + " rope scaling needs factor >= 1, got " + factor);
    }
  }

  private static double number(java.util.function.Function<String, Object> get, String key, Double def, String kind) {
    Object o = get.apply(key);
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o == null && def != null) {
      return def;
    }
    throw new ConfigException(kind + " rope scaling needs a numeric '" + key + "', got " + o);
  }

  private static Double optionalNumber(java.util.function.Function<String, Object> get, String key) {
    return get.apply(key) instanceof Number n ? n.doubleValue() : null;
  }
}
