package dev.rerankers.flashrank.internal;

import dev.rerankers.tokenizers.Encoding;
import java.util.Arrays;
import java.util.List;

/**
 * Some encodings padded on the right to the longest of them, as the flat row-major {@code long}
 * arrays ONNX Runtime takes: input ids (pad id at padding), attention mask (1 at tokens), and
 * segment ids (0 at padding). Arrays are shared, not copied: treat them as read-only.
 */
public final class TokenBatch {
  private final int size;
  private final int length;
  private final long[] inputIds;
  private final long[] attentionMask;
  private final long[] tokenTypeIds;
  private final long tokens;

  private TokenBatch(int size, int length, long[] ids, long[] mask, long[] types, long tokens) {
    this.size = size;
    this.length = length;
    this.inputIds = ids;
    this.attentionMask = mask;
    this.tokenTypeIds = types;
    this.tokens = tokens;
  }

  /** Pads {@code encodings[rows[0]], encodings[rows[1]], ...} in that order. */
  public static TokenBatch of(List<Encoding> encodings, int[] rows, long padId) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot pad an empty batch");
    }
    long[][] ids = new long[rows.length][];
    long[][] types = new long[rows.length][];
    int max = 0;
    long tokens = 0;
    for (int r = 0; r < rows.length; r++) {
      Encoding e = encodings.get(rows[r]);
      ids[r] = e.ids();
      types[r] = e.typeIds();
      max = Math.max(max, ids[r].length);
      tokens += ids[r].length;
    }
    long[] flatIds = new long[rows.length * max];
    long[] mask = new long[rows.length * max];
    long[] flatTypes = new long[rows.length * max];
    Arrays.fill(flatIds, padId);
    for (int r = 0; r < rows.length; r++) {
      int off = r * max;
      System.arraycopy(ids[r], 0, flatIds, off, ids[r].length);
      System.arraycopy(types[r], 0, flatTypes, off, types[r].length);
      Arrays.fill(mask, off, off + ids[r].length, 1L);
    }
    return new TokenBatch(rows.length, max, flatIds, mask, flatTypes, tokens);
  }

  /** Rows. */
  public int size() {
    return size;
  }

  /** Padded length of every row. */
  public int length() {
    return length;
  }

  long[] inputIds() {
    return inputIds;
  }

  long[] attentionMask() {
    return attentionMask;
  }

  long[] tokenTypeIds() {
    return tokenTypeIds;
  }

  /** Real (unpadded) tokens, all rows together. */
  public long tokenCount() {
    return tokens;
  }

  /** The real length of a row. */
  public int rowLength(int row) {
    int n = 0;
    for (int t = row * length, end = t + length; t < end; t++) {
      n += (int) attentionMask[t];
    }
    return n;
  }

  /** Whether any segment id is non-zero. */
  public boolean hasSegments() {
    for (long t : tokenTypeIds) {
      if (t != 0) {
        return true;
      }
    }
    return false;
  }
}
