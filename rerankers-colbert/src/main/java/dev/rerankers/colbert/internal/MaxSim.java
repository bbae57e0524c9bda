package dev.rerankers.colbert.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Late-interaction scoring: for every query vector the best dot product over a document's
 * vectors ({@code einsum("qin,pjn->qipj")} then {@code max}, as Python does it), computed as
 * batched matrix products on the model's engine over groups of similar-length documents.
 */
public final class MaxSim {
  /** Python ColBERT's fill value for document padding ({@code masked_fill(p_mask == 0, -1e4)}). */
  static final float PADDING = -1e4f;
  /** Floats per group tensor (documents × longest × dim), about 64 MiB. */
  static final long GROUP_FLOATS = 16L << 20;

  private MaxSim() {}

  /**
   * The best similarity of each query vector in each document: {@code out[d][q]}.
   *
   * @param manager a manager on the model's device; everything allocated here is freed on return
   * @param query query vectors, row-major {@code [nq, dim]}
   * @param documents each document's vectors, row-major {@code [count, dim]} (count ≥ 1)
   */
  public static float[][] tokenMaxima(NDManager manager, float[] query, int dim, List<float[]> documents) {
    return tokenMaxima(manager, query, dim, documents, GROUP_FLOATS);
  }

  /** {@link #tokenMaxima} with groups of at most {@code groupFloats} floats (tests force several). */
  static float[][] tokenMaxima(NDManager manager, float[] query, int dim, List<float[]> documents, long groupFloats) {
    int n = documents.size();
    int nq = query.length / dim;
    float[][] out = new float[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      if (documents.get(i).length == 0 || documents.get(i).length % dim != 0) {
        throw new IllegalArgumentException("document " + i + " has " + documents.get(i).length
            + " floats, not a positive multiple of " + dim);
      }
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> documents.get(i).length).reversed());
    try (NDManager scope = manager.newSubManager()) {
      NDArray q = scope.create(query, new Shape(nq, dim)).transpose();
      int start = 0;
      while (start < n) {
        int longest = documents.get(order[start]).length / dim;
        int count = (int) Math.max(1, Math.min(n - start, groupFloats / ((long) longest * dim)));
        try (NDManager group = scope.newSubManager()) {
          FloatBuffer d = direct((long) count * longest * dim);
          float[] penalty = new float[count * longest];
          for (int g = 0; g < count; g++) {
            float[] v = documents.get(order[start + g]);
            d.put(g * longest * dim, v);
            Arrays.fill(penalty, g * longest + v.length / dim, (g + 1) * longest, PADDING);
          }
          NDArray docs = group.create(d, new Shape(count, longest, dim));
          NDArray sims = docs.matMul(q).add(group.create(penalty, new Shape(count, longest, 1)));
          float[] maxima = sims.max(new int[] {1}).toFloatArray();
          for (int g = 0; g < count; g++) {
            out[order[start + g]] = Arrays.copyOfRange(maxima, g * nq, (g + 1) * nq);
          }
        }
        start += count;
      }
    }
    return out;
  }

  /**
   * One score per document from {@link #tokenMaxima}: the sum over query vectors divided by {@code
   * divisor}. With {@code zeroPadded} (PyLate), a document with fewer vectors than the set's
   * longest takes {@code max(best, 0)} per query vector, as its zero padding would.
   */
  public static double[] scores(float[][] maxima, int[] counts, double divisor, boolean zeroPadded) {
    int longest = 0;
    for (int c : counts) {
      longest = Math.max(longest, c);
    }
    double[] out = new double[maxima.length];
    for (int i = 0; i < maxima.length; i++) {
      boolean padded = zeroPadded && counts[i] < longest;
      float sum = 0;
      for (float m : maxima[i]) {
        sum += padded ? Math.max(m, 0f) : m;
      }
      out[i] = (float) (sum / divisor);
    }
    return out;
  }

  private static FloatBuffer direct(long floats) {
    return ByteBuffer.allocateDirect(Math.toIntExact(floats * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
