package dev.rerankers.colbert.internal;

import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * PyLate's recipe ({@code pylate.models.ColBERT.tokenize/encode} and {@code pylate.rank.rerank},
 * lightonai/pylate 1.4.0), as rerankers' {@code PyLateRanker} calls it:
 *
 * <ul>
 *   <li>texts: the configured prompt (if a default prompt is set) prepended, then stripped of
 *       surrounding whitespace and, with sentence-transformers' {@code do_lower_case}, lower-cased;
 *   <li>query: truncated to {@code query_length − 1} tokens (or {@code query_length} without a
 *       prefix), padded with the mask token (attention 0, or 1 with {@code
 *       attend_to_expansion_tokens}) to that length when {@code do_query_expansion}, the query
 *       prefix id inserted after the first token; every vector is kept (without expansion only
 *       the attended ones);
 *   <li>documents: truncated to {@code document_length − 1} tokens, the document prefix inserted
 *       after the first token; vectors of skiplist tokens (punctuation by default) are dropped;
 *   <li>score: for each query vector the best dot product over the document's vectors, where a
 *       document shorter than the candidate set's longest also offers 0 (rerank pads with zero
 *       vectors); summed, then divided by the number of query vectors as PyLateRanker does.
 * </ul>
 */
public final class PylateRecipe implements LateInteractionRecipe {

  /**
   * The model's PyLate configuration, as resolved from its files (config_sentence_transformers.json,
   * artifact.metadata) and PyLate's defaults, options applied.
   */
  public record Config(
      String queryPrefix,
      String documentPrefix,
      Long queryPrefixId,
      Long documentPrefixId,
      int queryLength,
      int documentLength,
      boolean queryExpansion,
      boolean attendToExpansionTokens,
      long expansionId,
      Set<Long> skiplist,
      String prompt,
      boolean lowerCase) {

    public Config {
      skiplist = Set.copyOf(skiplist);
      if (!queryExpansion) {
        attendToExpansionTokens = false; // as PyLate: no expansion, nothing to attend to
      }
    }
  }

  private final HfTokenizer queryTokenizer;
  private final HfTokenizer documentTokenizer;
  private final Config s;

  /**
   * @param queryTokenizer truncating at the query length (minus one with a prefix)
   * @param documentTokenizer truncating at the document length (minus one with a prefix)
   */
  public PylateRecipe(HfTokenizer queryTokenizer, HfTokenizer documentTokenizer, Config config) {
    this.queryTokenizer = queryTokenizer;
    this.documentTokenizer = documentTokenizer;
    this.s = config;
  }

  @Override
  public String type() {
    return "pylate";
  }

  /** The text as sentence-transformers tokenizes it: prompt, strip, optional lower-casing. */
  String prepare(String text) {
    String t = PythonText.strip(s.prompt() == null ? text : s.prompt() + text);
    return s.lowerCase() ? t.toLowerCase(Locale.ROOT) : t;
  }

  @Override
  public TokenRow query(String query) {
    long[] ids = queryTokenizer.encode(prepare(query)).ids();
    int real = ids.length;
    int target = s.queryPrefixId() != null ? s.queryLength() - 1 : s.queryLength();
    if (s.queryExpansion() && ids.length < target) {
      ids = Arrays.copyOf(ids, target);
      Arrays.fill(ids, real, target, s.expansionId());
    }
    long[] attention = new long[ids.length];
    Arrays.fill(attention, 0, real, 1);
    if (s.queryPrefixId() != null) {
      ids = SpecialTokenLayout.insertAfterFirst(ids, s.queryPrefixId());
      attention = SpecialTokenLayout.insertAfterFirst(attention, 1);
    }
    if (s.attendToExpansionTokens()) {
      Arrays.fill(attention, 1);
    }
    boolean[] keep = new boolean[ids.length];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = s.queryExpansion() || attention[i] != 0;
    }
    return new TokenRow(ids, attention, keep);
  }

  @Override
  public double divisor(TokenRow query) {
    return query.keptCount();
  }

  @Override
  public List<Encoding> tokenize(List<String> texts) {
    List<String> prepared = new ArrayList<>(texts.size());
    for (String t : texts) {
      prepared.add(prepare(t));
    }
    return documentTokenizer.encodeBatch(prepared);
  }

  @Override
  public int[] variants(int[] lengths) {
    return new int[lengths.length];
  }

  @Override
  public TokenRow document(Encoding tokens, int variant) {
    long[] ids = tokens.ids();
    if (s.documentPrefixId() != null) {
      ids = SpecialTokenLayout.insertAfterFirst(ids, s.documentPrefixId());
    }
    long[] attention = new long[ids.length];
    Arrays.fill(attention, 1);
    boolean[] keep = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      keep[i] = !s.skiplist().contains(ids[i]);
    }
    return new TokenRow(ids, attention, keep);
  }

  @Override
  public boolean zeroPadded() {
    return true;
  }

  /** The resolved configuration. */
  public Config config() {
    return s;
  }

  @Override
  public Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("queryLength", String.valueOf(s.queryLength()));
    d.put("documentLength", String.valueOf(s.documentLength()));
    d.put("queryPrefix", String.valueOf(s.queryPrefix()));
    d.put("documentPrefix", String.valueOf(s.documentPrefix()));
    d.put("queryExpansion", String.valueOf(s.queryExpansion()));
    d.put("attendToExpansionTokens", String.valueOf(s.attendToExpansionTokens()));
    d.put("score", "MaxSim sum (zero-padded documents) / query vectors");
    return d;
  }
}
