package dev.rerankers.transformers.nn;

/**
 * Relative position ids for attention biases, computed once per length in Java (int arrays ready
 * for a gather index).
 */
public final class RelativePositions {
  private RelativePositions() {}

  /**
   * DeBERTa-v2's {@code build_relative_position}: {@code q − k} for every query/key pair, log
   * bucketed ({@code make_log_bucket_position}) when {@code bucketSize > 0}; [q·k] row-major. The
   * bucketing runs in float32 as transformers does.
   */
  public static long[] deberta(int length, int bucketSize, int maxPosition) {
    long[] out = new long[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = 0; j < length; j++) {
        int rel = i - j;
        out[i * length + j] = bucketSize > 0 && maxPosition > 0 ? logBucket(rel, bucketSize, maxPosition) : rel;
      }
    }
    return out;
  }

  /** transformers' {@code make_log_bucket_position} for one relative position. */
  public static long logBucket(int rel, int bucketSize, int maxPosition) {
    int mid = bucketSize / 2;
    int abs = rel < mid && rel > -mid ? mid - 1 : Math.abs(rel);
    if (abs <= mid) {
      return rel;
    }
    float ratio = (float) Math.log((float) abs / (float) mid);
    float denom = (float) Math.log((float) ((maxPosition - 1) / (double) mid));
    float logPos = (float) Math.ceil(ratio / denom * (float) (mid - 1)) + mid;
    return (long) (logPos * Integer.signum(rel));
  }
}
