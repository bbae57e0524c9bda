package dev.rerankers.colbert.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Late-interaction scoring: for every query vector the best dot product over a document's
 * vectors (Python's {@code einsum("qin,pjn->qipj")} then {@code max} over the document's real
 * tokens). The documents' vectors are stacked without padding into {@code [tokens, dim]} groups,
 * multiplied by the query on the model's engine, and the maxima taken per document in Java.
 */
public final class MaxSim {
  /** Floats per stacked group (document tokens × dim), about 64 MiB. */
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
    for (int i = 0; i < n; i++) {
      if (documents.get(i).length == 0 || documents.get(i).length % dim != 0) {
        throw new IllegalArgumentException("document " + i + " has " + documents.get(i).length
            + " floats, not a positive multiple of " + dim);
      }
    }
    float[][] out = new float[n][];
    try (NDManager scope = manager.newSubManager()) {
      NDArray q = scope.create(query, new Shape(nq, dim)).transpose();
      int start = 0;
      while (start < n) {
        long floats = documents.get(start).length;
        int end = start + 1;
        while (end < n && floats + documents.get(end).length <= groupFloats) {
          floats += documents.get(end).length;
          end++;
        }
        FloatBuffer stacked = ByteBuffer.allocateDirect(Math.toIntExact(floats * 4)).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
        for (int d = start; d < end; d++) {
          stacked.put(documents.get(d));
        }
        stacked.rewind();
        float[] sims;
        try (NDManager group = scope.newSubManager()) {
          sims = group.create(stacked, new Shape(floats / dim, dim)).matMul(q).toFloatArray(); // [tokens, nq]
        }
        int row = 0;
        for (int d = start; d < end; d++) {
          int tokens = documents.get(d).length / dim;
          float[] best = new float[nq];
          System.arraycopy(sims, row * nq, best, 0, nq);
          for (int t = 1; t < tokens; t++) {
            int base = (row + t) * nq;
            for (int i = 0; i < nq; i++) {
              best[i] = Math.max(best[i], sims[base + i]);
            }
          }
          out[d] = best;
          row += tokens;
        }
        start = end;
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
      out[i] = score(maxima[i], zeroPadded && counts[i] < longest, divisor);
    }
    return out;
  }

  /**
   * One document's score from its row of {@link #tokenMaxima}: the sum over query vectors divided
   * by {@code divisor}, each maximum raised to at least 0 when the document is {@code padded} with
   * zero vectors (PyLate, for a document shorter than its set's longest).
   */
  public static double score(float[] maxima, boolean padded, double divisor) {
    float sum = 0;
    for (float m : maxima) {
      sum += padded ? Math.max(m, 0f) : m;
    }
    return (float) (sum / divisor);
  }
}
