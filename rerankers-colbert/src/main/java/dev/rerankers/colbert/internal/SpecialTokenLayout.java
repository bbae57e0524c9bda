package dev.rerankers.colbert.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Arrays;

/**
 * Where a tokenizer's post-processor puts special tokens around a single text ({@code [CLS] text
 * [SEP]}: one before, one after), so that an encoding can be re-truncated exactly as Hugging Face
 * truncation would have done: the text's tokens are cut, the special tokens kept.
 *
 * @param leading special tokens before the text
 * @param trailing special tokens after the text
 */
record SpecialTokenLayout(int leading, int trailing) {

  /** Finds the layout by comparing an encoding with and without special tokens. */
  static SpecialTokenLayout of(HfTokenizer tokenizer, String model) {
    var probe = tokenizer.encode("a");
    long[] full = probe.ids();
    long[] raw = tokenizer.encodeRaw("a").ids();
    if (probe.truncated()) {
      throw new ModelLoadException("the truncation length of " + model + " (" + tokenizer.maxLength().orElse(0)
          + " tokens) leaves no room for a one-letter text");
    }
    for (int lead = 0; lead + raw.length <= full.length; lead++) {
      if (Arrays.equals(Arrays.copyOfRange(full, lead, lead + raw.length), raw)) {
        return new SpecialTokenLayout(lead, full.length - lead - raw.length);
      }
    }
    throw new ModelLoadException("the tokenizer of " + model + " does not place special tokens around a text "
        + "(with: " + Arrays.toString(full) + ", without: " + Arrays.toString(raw) + "); it cannot be truncated "
        + "the way transformers does");
  }

  /** The ids cut to at most {@code max} tokens, text tokens dropped from the end, special tokens kept. */
  long[] truncate(long[] ids, int max) {
    if (ids.length <= max) {
      return ids;
    }
    if (max < leading + trailing) {
      throw new IllegalArgumentException("cannot truncate to " + max + " tokens: the special tokens alone need "
          + (leading + trailing));
    }
    long[] out = new long[max];
    System.arraycopy(ids, 0, out, 0, max - trailing);
    System.arraycopy(ids, ids.length - trailing, out, max - trailing, trailing);
    return out;
  }

  /** The ids with {@code token} inserted at position 1 (after [CLS]), as both libraries do. */
  static long[] insertAfterFirst(long[] ids, long token) {
    if (ids.length == 0) {
      return new long[] {token};
    }
    long[] out = new long[ids.length + 1];
    out[0] = ids[0];
    out[1] = token;
    System.arraycopy(ids, 1, out, 2, ids.length - 1);
    return out;
  }
}
