package dev.rerankers.colbert.internal;

import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ColBERT recipe of Python rerankers' {@code ColBERTRanker} (rerankers/models/colbert_ranker.py
 * at 7bb2521), kept exactly:
 *
 * <ul>
 *   <li>query: tokenized with truncation at {@code docMaxLength − 1}, the query marker ({@code
 *       [unused0]}) inserted after the first token, then padded with [MASK] (attention 0) to
 *       {@code len + 8} when {@code len % 16 <= 8}, else to the next multiple of 16, where len
 *       counts the non-padding ids; queries are never cut to ColBERT's classic 32 tokens;
 *   <li>documents: the set's longest document (tokenized with truncation at {@code docMaxLength})
 *       rounded up to a multiple of 32, at least 32, at most {@code docMaxLength}, gives {@code
 *       max_length}; every document is truncated to {@code max_length − 1} tokens and gets the
 *       document marker ({@code [unused1]}) after the first token. The longest document itself loses
 *       its last text token when its length is already a multiple of 32;
 *   <li>score: for every query position, [MASK] ones included, the best dot product over the
 *       document's tokens; their sum divided by the number of query tokens with attention 1.
 * </ul>
 *
 * <p>{@code docMaxLength} is {@code max_position_embeddings − 2} in Python (whatever the
 * tokenizer's {@code model_max_length} says). One deviation: where the augmented query would
 * exceed the model's positions (Python then fails inside the embedding lookup), the [MASK]
 * padding stops at the last position.
 */
public final class ColbertRecipe implements LateInteractionRecipe {
  /** ColBERT's query length floor that Python reuses as the document length floor. */
  static final int MIN_DOCUMENT_LENGTH = 32;

  private final HfTokenizer tokenizer;
  private final SpecialTokenLayout layout;
  private final long queryMarker;
  private final long documentMarker;
  private final long maskId;
  private final long padId;
  private final int docMaxLength;
  private final int maxPositions;

  /**
   * @param tokenizer the model's tokenizer, truncating at {@code docMaxLength}
   * @param queryMarker the id inserted after the first query token
   * @param documentMarker the id inserted after the first document token
   * @param maskId the [MASK] id used for query augmentation
   * @param docMaxLength the document length cap (Python: max_position_embeddings − 2)
   * @param maxPositions the longest input the encoder accepts
   */
  public ColbertRecipe(HfTokenizer tokenizer, SpecialTokenLayout layout, long queryMarker, long documentMarker, long maskId,
      int docMaxLength, int maxPositions) {
    this.tokenizer = tokenizer;
    this.layout = layout;
    this.queryMarker = queryMarker;
    this.documentMarker = documentMarker;
    this.maskId = maskId;
    this.padId = tokenizer.padId();
    this.docMaxLength = docMaxLength;
    this.maxPositions = maxPositions;
  }

  @Override
  public String type() {
    return "colbert";
  }

  /** Python's dynamic QLEN for a query of {@code length} tokens (markers included). */
  static int augmentedQueryLength(int length) {
    return length % 16 <= 8 ? length + 8 : (length + 15) / 16 * 16;
  }

  /** Python's document {@code max_length} for a set whose longest document has {@code longest} tokens. */
  static int documentMaxLength(int longest, int docMaxLength) {
    int rounded = (longest + 31) / 32 * 32;
    return Math.min(Math.max(rounded, MIN_DOCUMENT_LENGTH), docMaxLength);
  }

  @Override
  public TokenRow query(String query) {
    long[] ids = layout.truncate(tokenizer.encode(query).ids(), docMaxLength - 1);
    ids = SpecialTokenLayout.insertAfterFirst(ids, queryMarker);
    int real = 0;
    for (long id : ids) {
      real += id != padId ? 1 : 0;
    }
    int pad = Math.max(0, augmentedQueryLength(real) - real);
    pad = Math.max(0, Math.min(pad, maxPositions - ids.length));
    long[] all = Arrays.copyOf(ids, ids.length + pad);
    long[] attention = new long[all.length];
    Arrays.fill(attention, 0, ids.length, 1);
    Arrays.fill(all, ids.length, all.length, maskId);
    boolean[] keep = new boolean[all.length];
    Arrays.fill(keep, true);
    return new TokenRow(all, attention, keep);
  }

  @Override
  public double divisor(TokenRow query) {
    return query.attendedCount();
  }

  @Override
  public List<Encoding> tokenize(List<String> texts) {
    return tokenizer.encodeBatch(texts);
  }

  @Override
  public int[] variants(int[] lengths) {
    int longest = 0;
    for (int l : lengths) {
      longest = Math.max(longest, l);
    }
    int cut = documentMaxLength(longest, docMaxLength) - 1;
    int[] out = new int[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      out[i] = Math.min(lengths[i], cut);
    }
    return out;
  }

  @Override
  public TokenRow document(Encoding tokens, int variant) {
    return TokenRow.allKept(SpecialTokenLayout.insertAfterFirst(layout.truncate(tokens.ids(), variant), documentMarker));
  }

  @Override
  public boolean zeroPadded() {
    return false;
  }

  @Override
  public Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("queryLength", "dynamic ([MASK] to len+8 or the next multiple of 16)");
    d.put("documentMaxLength", String.valueOf(docMaxLength));
    d.put("score", "MaxSim sum / query tokens");
    return d;
  }
}
