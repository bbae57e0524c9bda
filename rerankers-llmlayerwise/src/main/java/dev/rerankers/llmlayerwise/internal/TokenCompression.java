package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * BAAI's passage token compression for bge-reranker-v2.5-gemma2-lightweight (FlagEmbedding's
 * {@code token_compress}): in each right-padded row the query and prompt hidden states are kept,
 * and the passage's are averaged in consecutive groups of {@code ratio} tokens (the last group
 * over what is left), so the row becomes {@code query + ⌈passage / ratio⌉ + prompt} long. Rows
 * are zero-padded to the longest; the new attention mask marks the kept positions.
 *
 * <p>Done as one batched product with a [B, L', L] averaging matrix built in Java: the kept rows
 * have a single 1, the pooled rows {@code 1/n} over their group, so the arithmetic is BAAI's
 * (weight × hidden, summed per group).
 */
public final class TokenCompression {
  private TokenCompression() {}

  /** A compressed batch: hidden states [B, L', H] and each row's new length. */
  public record Result(NDArray hidden, int[] lengths) {}

  /**
   * Compresses {@code hidden} [B, L, H] (right padding).
   *
   * @param lengths each row's token count
   * @param queryLengths tokens before each passage
   * @param promptLengths tokens after each passage
   */
  public static Result compress(NDArray hidden, int[] lengths, int[] queryLengths, int[] promptLengths, int ratio) {
    Shape s = hidden.getShape();
    int b = (int) s.get(0);
    int len = (int) s.get(1);
    int[] out = new int[b];
    int longest = 0;
    for (int i = 0; i < b; i++) {
      int passage = lengths[i] - queryLengths[i] - promptLengths[i];
      if (passage < 0) {
        throw new IllegalArgumentException("row " + i + ": query " + queryLengths[i] + " + prompt " + promptLengths[i]
            + " exceed its " + lengths[i] + " tokens");
      }
      out[i] = queryLengths[i] + (passage + ratio - 1) / ratio + promptLengths[i];
      longest = Math.max(longest, out[i]);
    }
    float[] pool = new float[b * longest * len];
    for (int i = 0; i < b; i++) {
      int q = queryLengths[i];
      int passage = lengths[i] - q - promptLengths[i];
      int groups = (passage + ratio - 1) / ratio;
      int base = i * longest * len;
      for (int t = 0; t < q; t++) {
        pool[base + t * len + t] = 1f;
      }
      for (int g = 0; g < groups; g++) {
        int from = q + g * ratio;
        int to = Math.min(from + ratio, q + passage);
        float w = 1f / (to - from);
        for (int j = from; j < to; j++) {
          pool[base + (q + g) * len + j] = w;
        }
      }
      for (int t = 0; t < promptLengths[i]; t++) {
        pool[base + (q + groups + t) * len + q + passage + t] = 1f;
      }
    }
    NDManager m = hidden.getManager();
    NDArray matrix = m.create(pool, new Shape(b, longest, len));
    if (matrix.getDataType() != hidden.getDataType()) {
      matrix = matrix.toType(hidden.getDataType(), false);
    }
    return new Result(matrix.matMul(hidden), out);
  }
}
