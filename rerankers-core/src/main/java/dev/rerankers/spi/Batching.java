package dev.rerankers.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Splits a scorer's inputs into batches. Sorted by length (longest first, ties in input order),
 * each batch pads to a similar length, so short texts stop paying for the longest one, and the
 * largest batch runs first (a memory failure shows at once). Callers scatter results back to input
 * order through the positions each batch lists.
 *
 * <pre>{@code
 * for (int[] rows : Batching.longestFirst(encodings, Encoding::length, batchSize)) {
 *   float[] logits = run(pad(rows));
 *   for (int r = 0; r < rows.length; r++) {
 *     scores[rows[r]] = logits[r];
 *   }
 * }
 * }</pre>
 */
public final class Batching {
  private Batching() {}

  /**
   * Batches of input positions, longest input first.
   *
   * @param items the inputs
   * @param length an input's length in tokens
   * @param batchSize the most inputs per batch, at least 1
   */
  public static <T> List<int[]> longestFirst(List<T> items, ToIntFunction<? super T> length, int batchSize) {
    int[] lengths = new int[items.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = length.applyAsInt(items.get(i));
    }
    return plan(lengths, batchSize, true);
  }

  /**
   * Batches of input positions.
   *
   * @param lengths each input's token count
   * @param batchSize the most inputs per batch, at least 1
   * @param sortByLength whether to group inputs of similar length, longest first (else input order)
   * @throws IllegalArgumentException if {@code batchSize < 1}
   */
  public static List<int[]> plan(int[] lengths, int batchSize, boolean sortByLength) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    int[] order;
    if (sortByLength) {
      order = IntStream.range(0, lengths.length)
          .boxed()
          .sorted(Comparator.comparingInt((Integer i) -> -lengths[i]))
          .mapToInt(Integer::intValue)
          .toArray();
    } else {
      order = IntStream.range(0, lengths.length).toArray();
    }
    List<int[]> batches = new ArrayList<>((lengths.length + batchSize - 1) / batchSize);
    for (int start = 0; start < order.length; start += batchSize) {
      batches.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize)));
    }
    return batches;
  }

  /** The items at {@code rows}, in that order. */
  public static <T> List<T> select(List<T> items, int[] rows) {
    List<T> out = new ArrayList<>(rows.length);
    for (int r : rows) {
      out.add(items.get(r));
    }
    return out;
  }
}
