package dev.rerankers.tokenizers;

import java.util.List;

/**
 * Encodings padded to one length, as flat row-major arrays ready for a tensor of shape {@code
 * [size, length]}: input ids, attention mask (1 for tokens, 0 for padding) and, where the tokenizer
 * returns them, token type ids. Immutable; the accessors return copies.
 */
public final class PaddedBatch {
  private final int size;
  private final int length;
  private final long[] inputIds;
  private final long[] attentionMask;
  private final long[] tokenTypeIds;
  private final int[] lengths;
  private final boolean leftPadded;

  private PaddedBatch(
      int size, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] lengths, boolean left) {
    this.size = size;
    this.length = length;
    this.inputIds = inputIds;
    this.attentionMask = attentionMask;
    this.tokenTypeIds = tokenTypeIds;
    this.lengths = lengths;
    this.leftPadded = left;
  }

  /**
   * Pads encodings to the longest one (rounded up to a multiple of {@code padToMultipleOf} when that
   * is above 1).
   *
   * @param padId the id written at padding positions
   * @param withTokenTypeIds whether to keep token type ids (else {@link #tokenTypeIds()} is null)
   * @param left pad on the left (decoder models) instead of the right
   * @throws IllegalArgumentException for an empty list or a multiple below 1
   */
  public static PaddedBatch of(
      List<Encoding> encodings, long padId, boolean withTokenTypeIds, boolean left, int padToMultipleOf) {
    if (encodings == null || encodings.isEmpty()) {
      throw new IllegalArgumentException("cannot pad an empty list of encodings");
    }
    if (padToMultipleOf < 1) {
      throw new IllegalArgumentException("padToMultipleOf must be >= 1, got " + padToMultipleOf);
    }
    int n = encodings.size();
    int max = 0;
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = encodings.get(i).length();
      max = Math.max(max, lengths[i]);
    }
    if (padToMultipleOf > 1 && max % padToMultipleOf != 0) {
      max += padToMultipleOf - max % padToMultipleOf;
    }
    long[] ids = new long[n * max];
    long[] mask = new long[n * max];
    long[] types = withTokenTypeIds ? new long[n * max] : null;
    for (int b = 0; b < n; b++) {
      Encoding e = encodings.get(b);
      int len = lengths[b];
      int offset = b * max + (left ? max - len : 0);
      java.util.Arrays.fill(ids, b * max, (b + 1) * max, padId);
      for (int t = 0; t < len; t++) {
        ids[offset + t] = e.id(t);
        mask[offset + t] = 1;
        if (types != null) {
          types[offset + t] = e.typeId(t);
        }
      }
    }
    return new PaddedBatch(n, max, ids, mask, types, lengths, left);
  }

  /**
   * Rows {@code [from, to)} of this batch, cut to the longest of them: a pass of a batch split to
   * save memory, without the padding only other rows needed. A left-padded batch keeps its length
   * (cutting it would move its tokens).
   *
   * @throws IllegalArgumentException when the range is empty or outside the batch
   */
  public PaddedBatch rows(int from, int to) {
    if (from < 0 || to > size || from >= to) {
      throw new IllegalArgumentException("rows " + from + ".." + to + " are not a non-empty range of " + size + " rows");
    }
    int n = to - from;
    int[] kept = java.util.Arrays.copyOfRange(lengths, from, to);
    int cut = leftPadded ? length : java.util.Arrays.stream(kept).max().getAsInt();
    long[] ids = new long[n * cut];
    long[] mask = new long[n * cut];
    long[] types = tokenTypeIds == null ? null : new long[n * cut];
    for (int r = 0; r < n; r++) {
      System.arraycopy(inputIds, (from + r) * length, ids, r * cut, cut);
      System.arraycopy(attentionMask, (from + r) * length, mask, r * cut, cut);
      if (types != null) {
        System.arraycopy(tokenTypeIds, (from + r) * length, types, r * cut, cut);
      }
    }
    return new PaddedBatch(n, cut, ids, mask, types, kept, leftPadded);
  }

  /** The number of rows. */
  public int size() {
    return size;
  }

  /** The padded length of every row. */
  public int length() {
    return length;
  }

  /** Input ids, {@code size × length}, row-major (a copy). */
  public long[] inputIds() {
    return inputIds.clone();
  }

  /** The attention mask, 1 at tokens and 0 at padding (a copy). */
  public long[] attentionMask() {
    return attentionMask.clone();
  }

  /** Token type ids, or {@code null} when the tokenizer returns none (a copy). */
  public long[] tokenTypeIds() {
    return tokenTypeIds == null ? null : tokenTypeIds.clone();
  }

  /** Whether token type ids are present. */
  public boolean hasTokenTypeIds() {
    return tokenTypeIds != null;
  }

  /** The real (unpadded) length of each row (a copy). */
  public int[] lengths() {
    return lengths.clone();
  }

  /** Whether padding is on the left. */
  public boolean leftPadded() {
    return leftPadded;
  }

  /** The number of real tokens, all rows together. */
  public long tokenCount() {
    long s = 0;
    for (int l : lengths) {
      s += l;
    }
    return s;
  }
}
