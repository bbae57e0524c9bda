package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.transformers.checkpoint.Weights;

/**
 * T5's bucketed relative position bias ({@code T5Attention.compute_bias} in transformers'
 * modeling_t5.py): a learnt scalar per head and bucket, where the bucket of a (query, key) pair
 * depends on {@code key − query}. Half the buckets hold exact small distances, the other half
 * logarithmically wider ones up to {@code maxDistance}, beyond which all share the last bucket.
 * Bidirectional (encoder): the sign gets half the buckets; causal (decoder): only keys at or before
 * the query count, later ones fall in bucket 0 (they are masked anyway).
 *
 * <p>Weights: {@code prefix.weight} [numBuckets, heads] ({@code
 * ...layer.0.SelfAttention.relative_attention_bias}). Immutable; safe to share between threads.
 */
public final class RelativePositionBias {
  private final Embedding table;
  private final int numBuckets;
  private final int maxDistance;
  private final boolean bidirectional;

  private RelativePositionBias(Embedding table, int numBuckets, int maxDistance, boolean bidirectional) {
    this.table = table;
    this.numBuckets = numBuckets;
    this.maxDistance = maxDistance;
    this.bidirectional = bidirectional;
  }

  /** Loads {@code prefix.weight} [numBuckets, heads]. */
  public static RelativePositionBias load(
      Weights w, String prefix, int numBuckets, int maxDistance, int heads, boolean bidirectional) {
    return new RelativePositionBias(Embedding.load(w, prefix, numBuckets, heads), numBuckets, maxDistance, bidirectional);
  }

  /**
   * The bias for a query length and a key length, [1, heads, queryLength, keyLength], created in
   * {@code manager}; query i sits at position i, key j at position j.
   */
  public NDArray forward(NDManager manager, int queryLength, int keyLength) {
    long[] buckets = buckets(queryLength, keyLength, bidirectional, numBuckets, maxDistance);
    NDArray ids = manager.create(buckets, new Shape(queryLength, keyLength));
    return table.forward(ids).transpose(2, 0, 1).expandDims(0);
  }

  /** The bucket of every (query i, key j) pair, row-major [queryLength · keyLength]. */
  public static long[] buckets(int queryLength, int keyLength, boolean bidirectional, int numBuckets, int maxDistance) {
    long[] out = new long[queryLength * keyLength];
    for (int i = 0; i < queryLength; i++) {
      for (int j = 0; j < keyLength; j++) {
        out[i * keyLength + j] = bucket(j - i, bidirectional, numBuckets, maxDistance);
      }
    }
    return out;
  }

  /**
   * transformers' {@code T5Attention._relative_position_bucket} for one relative position {@code
   * key − query}; the logarithmic part runs in float32 and truncates toward zero, as torch does.
   */
  public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
    int buckets = numBuckets;
    int base = 0;
    int n;
    if (bidirectional) {
      buckets /= 2;
      if (relativePosition > 0) {
        base = buckets;
      }
      n = Math.abs(relativePosition);
    } else {
      n = Math.max(-relativePosition, 0);
    }
    int maxExact = buckets / 2;
    if (n < maxExact) {
      return base + n;
    }
    float ratio = (float) Math.log((float) n / (float) maxExact);
    float scaled = ratio / (float) Math.log((double) maxDistance / maxExact) * (float) (buckets - maxExact);
    int large = maxExact + (int) scaled;
    return base + Math.min(large, buckets - 1);
  }
}
