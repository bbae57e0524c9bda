package dev.rerankers.colbert.internal;

import java.util.Arrays;

/**
 * One text's model input and which of its output vectors count: token ids, the attention mask (1
 * where the token is attended to, 0 for ColBERT's [MASK] augmentation or PyLate's expansion tokens),
 * and the positions whose vectors are kept for MaxSim.
 *
 * @param ids token ids, markers and augmentation included
 * @param attention 1 or 0 per position
 * @param keep whether the vector at each position is kept
 */
public record TokenRow(long[] ids, long[] attention, boolean[] keep) {

  public TokenRow {
    if (ids.length == 0 || attention.length != ids.length || keep.length != ids.length) {
      throw new IllegalArgumentException("a token row needs ids, attention and keep of one non-zero length, got "
          + ids.length + ", " + attention.length + ", " + keep.length);
    }
  }

  /** A row whose tokens are all attended to and all kept. */
  public static TokenRow allKept(long[] ids) {
    long[] attention = new long[ids.length];
    Arrays.fill(attention, 1);
    boolean[] keep = new boolean[ids.length];
    Arrays.fill(keep, true);
    return new TokenRow(ids, attention, keep);
  }

  /** The number of positions. */
  public int length() {
    return ids.length;
  }

  /** The number of kept vectors. */
  public int keptCount() {
    int n = 0;
    for (boolean k : keep) {
      if (k) {
        n++;
      }
    }
    return n;
  }

  /** The number of attended positions. */
  public int attendedCount() {
    int n = 0;
    for (long a : attention) {
      n += a != 0 ? 1 : 0;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenRow r && Arrays.equals(ids, r.ids) && Arrays.equals(attention, r.attention)
        && Arrays.equals(keep, r.keep);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(attention);
  }

  @Override
  public String toString() {
    return "TokenRow[ids=" + Arrays.toString(ids) + ", attention=" + Arrays.toString(attention) + "]";
  }
}
