package dev.rerankers.flashrank.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits inputs into batches. Sorted by length (longest first, ties in input order), each batch
 * pads to a similar length, so short texts stop paying for the longest one; callers scatter
 * results back to input order.
 */
public final class Batching {
  private Batching() {}

  /**
   * Batches of input positions.
   *
   * @param lengths each input's token count
   * @param batchSize the most inputs per batch
   * @param sortByLength whether to group inputs of similar length (else input order)
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
}
