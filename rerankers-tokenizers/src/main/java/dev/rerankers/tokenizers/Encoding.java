package dev.rerankers.tokenizers;

import java.util.Arrays;

/**
 * One encoded text or text pair, special tokens included, unpadded: token ids and segment
 * (token type) ids. Immutable; the accessors return copies.
 */
public final class Encoding {
  private final long[] ids;
  private final long[] typeIds;
  private final boolean truncated;

  Encoding(long[] ids, long[] typeIds, boolean truncated) {
    if (typeIds.length != ids.length) {
      throw new IllegalArgumentException(
          "typeIds has " + typeIds.length + " entries but ids has " + ids.length);
    }
    this.ids = ids;
    this.typeIds = typeIds;
    this.truncated = truncated;
  }

  /** An encoding from explicit ids (segment ids all 0); for tests and hand-built inputs. */
  public static Encoding of(long[] ids) {
    return new Encoding(ids.clone(), new long[ids.length], false);
  }

  /** An encoding from explicit ids and segment ids of the same length. */
  public static Encoding of(long[] ids, long[] typeIds) {
    return new Encoding(ids.clone(), typeIds.clone(), false);
  }

  /** The number of tokens. */
  public int length() {
    return ids.length;
  }

  /** The token ids (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  /** The segment ids, 0 for the first text and usually 1 for the second (a copy). */
  public long[] typeIds() {
    return typeIds.clone();
  }

  /** Whether tokens were cut to fit the maximum length. */
  public boolean truncated() {
    return truncated;
  }

  long id(int i) {
    return ids[i];
  }

  long typeId(int i) {
    return typeIds[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Encoding e
        && truncated == e.truncated
        && Arrays.equals(ids, e.ids)
        && Arrays.equals(typeIds, e.typeIds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(typeIds);
  }

  @Override
  public String toString() {
    return "Encoding[length=" + ids.length + (truncated ? ", truncated" : "") + ", ids=" + Arrays.toString(ids) + "]";
  }
}
