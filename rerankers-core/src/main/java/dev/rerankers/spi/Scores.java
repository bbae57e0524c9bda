package dev.rerankers.spi;

import dev.rerankers.Usage;
import java.util.Arrays;
import java.util.Objects;

/**
 * A backend's answer for one query: either one score per document in input order, or (for
 * listwise rankers that give no scores) an ordering of input positions, best first. Plus what the
 * call consumed.
 */
public final class Scores {
  private final double[] values;
  private final int[] order;
  private final Usage usage;

  private Scores(double[] values, int[] order, Usage usage) {
    this.values = values;
    this.order = order;
    this.usage = Objects.requireNonNull(usage, "usage");
  }

  /** One score per document, in input order (higher is more relevant). The array is copied. */
  public static Scores of(double[] values) {
    return new Scores(Objects.requireNonNull(values, "values").clone(), null, Usage.NONE);
  }

  /** One score per document, in input order, from floats. */
  public static Scores of(float[] values) {
    Objects.requireNonNull(values, "values");
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return new Scores(d, null, Usage.NONE);
  }

  /**
   * An ordering without scores: {@code order[0]} is the input position of the best document. It
   * must be a permutation of 0..n-1. The array is copied.
   */
  public static Scores ranking(int[] order) {
    return new Scores(null, Objects.requireNonNull(order, "order").clone(), Usage.NONE);
  }

  /** These scores with the usage the call reported. */
  public Scores withUsage(Usage newUsage) {
    return new Scores(values, order, newUsage);
  }

  /** Whether this holds scores (else an ordering). */
  public boolean hasScores() {
    return values != null;
  }

  /** A copy of the scores in input order, or {@code null} for an ordering. */
  public double[] values() {
    return values == null ? null : values.clone();
  }

  /** A copy of the ordering, or {@code null} when this holds scores. */
  public int[] order() {
    return order == null ? null : order.clone();
  }

  /** What the call consumed. */
  public Usage usage() {
    return usage;
  }

  /** The number of documents covered. */
  public int size() {
    return values != null ? values.length : order.length;
  }

  @Override
  public String toString() {
    return values != null
        ? "Scores" + Arrays.toString(values)
        : "Scores[order=" + Arrays.toString(order) + "]";
  }
}
