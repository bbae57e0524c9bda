package dev.rerankers.cli.eval;

import java.util.Arrays;

/**
 * Per-query latencies in milliseconds, with percentiles by linear interpolation between the two
 * nearest ranks (NumPy's default method). Immutable.
 */
public final class LatencyStats {
  private final double[] sortedMillis;
  private final double totalMillis;

  private LatencyStats(double[] millis) {
    this.sortedMillis = millis.clone();
    Arrays.sort(this.sortedMillis);
    double sum = 0;
    for (double m : millis) {
      sum += m;
    }
    this.totalMillis = sum;
  }

  /** From per-query durations in nanoseconds. */
  public static LatencyStats ofNanos(long[] nanos) {
    double[] ms = new double[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      ms[i] = nanos[i] / 1e6;
    }
    return new LatencyStats(ms);
  }

  /** The p-th percentile (0..100) in milliseconds; 0 when there are no measurements. */
  public double percentile(double p) {
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in 0..100, got " + p);
    }
    int n = sortedMillis.length;
    if (n == 0) {
      return 0.0;
    }
    double pos = p / 100.0 * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, n - 1);
    double frac = pos - lo;
    return sortedMillis[lo] + (sortedMillis[hi] - sortedMillis[lo]) * frac;
  }

  /** The number of measurements. */
  public int count() {
    return sortedMillis.length;
  }

  /** The sum of all measurements in milliseconds. */
  public double totalMillis() {
    return totalMillis;
  }

  /** A copy of the measurements, sorted ascending. */
  public double[] sortedMillis() {
    return sortedMillis.clone();
  }
}
