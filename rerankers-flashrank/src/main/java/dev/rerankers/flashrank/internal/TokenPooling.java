package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import java.util.Locale;

/** How a bi-encoder pools its token vectors into one text vector, as sentence-transformers' {@code Pooling} module does it. */
public enum TokenPooling {
  /** The average of the token vectors where the attention mask is 1 ({@code pooling_mode_mean_tokens}). */
  MEAN,
  /** The first token's vector, {@code [CLS]} ({@code pooling_mode_cls_token}). */
  CLS;

  /** Parses an option value: {@code mean} or {@code cls}. */
  public static TokenPooling parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "mean", "mean_tokens", "avg" -> MEAN;
      case "cls", "cls_token" -> CLS;
      default -> throw new ConfigException("pooling must be mean or cls, got '" + value + "'");
    };
  }

  /**
   * Pools row {@code row} of a {@code [rows, length, dim]} hidden-state tensor into {@code out}.
   *
   * @param realLength the row's real token count (its attention mask's sum; padding is on the right)
   */
  public void pool(float[] hidden, int length, int dim, int row, int realLength, float[] out) {
    int base = row * length * dim;
    if (this == CLS) {
      System.arraycopy(hidden, base, out, 0, dim);
      return;
    }
    double[] sum = new double[dim];
    for (int t = 0; t < realLength; t++) {
      int off = base + t * dim;
      for (int k = 0; k < dim; k++) {
        sum[k] += hidden[off + k];
      }
    }
    double n = Math.max(realLength, 1);
    for (int k = 0; k < dim; k++) {
      out[k] = (float) (sum[k] / n);
    }
  }

  /** Scales a vector to unit length (a zero vector stays zero). */
  public static void normalize(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    double norm = Math.sqrt(s);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }
}
