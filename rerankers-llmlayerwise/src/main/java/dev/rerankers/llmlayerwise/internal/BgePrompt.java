package dev.rerankers.llmlayerwise.internal;

import static dev.rerankers.llmlayerwise.internal.PairPrompt.concat;
import static dev.rerankers.llmlayerwise.internal.PairPrompt.head;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BAAI's decoder-reranker prompt, as Python rerankers' {@code LLMLayerWiseRanker._get_inputs}
 * (and FlagEmbedding's {@code FlagLLMReranker} / {@code LayerWiseFlagLLMReranker}) builds it:
 *
 * <pre>
 * [bos] + ids("A: {query}")[:maxLength·3/4]      ← first part
 * ids("\n") + ids("B: {passage}")[:maxLength]     ← second part, cut from its end so that
 *                                                  first + second ≤ maxLength
 * ids("\n") + ids(prompt)                          ← appended after truncation
 * </pre>
 *
 * Right padding to a multiple of 8. {@code [bos]} is left out when the tokenizer has none or it
 * equals the pad token (FlagEmbedding's rule). When even the whole second part cannot make room
 * (a tiny {@code maxLength}), nothing is cut, as transformers' {@code prepare_for_model} does.
 */
public final class BgePrompt implements PairPrompt {
  /** The default prompt of Python rerankers and FlagEmbedding. */
  public static final String DEFAULT_PROMPT = "Given a query A and a passage B, determine whether the passage "
      + "contains an answer to the query by providing a prediction of either 'Yes' or 'No'.";

  private static final System.Logger LOG = System.getLogger(BgePrompt.class.getName());

  private final PromptTokenizer tokenizer;
  private final long[] bos;
  private final long[] sep;
  private final long[] prompt;
  private final String promptText;
  private final int maxLength;

  /**
   * @param prompt the instruction after the passage
   * @param maxLength Python's {@code max_sequence_length} (default 512)
   */
  public BgePrompt(PromptTokenizer tokenizer, String prompt, int maxLength) {
    this.tokenizer = tokenizer;
    this.promptText = prompt;
    this.maxLength = maxLength;
    java.util.OptionalLong b = tokenizer.specialTokenId("bos_token");
    this.bos = b.isPresent() && b.getAsLong() != tokenizer.padId() ? new long[] {b.getAsLong()} : new long[0];
    this.sep = tokenizer.ids("\n");
    this.prompt = tokenizer.ids(prompt);
  }

  @Override
  public PromptTokens build(String query, String document) {
    long[] q = tokenizer.ids("A: " + query);
    long[] p = tokenizer.ids("B: " + document);
    boolean truncated = q.length > maxLength * 3 / 4 || p.length > maxLength;
    long[] first = concat(bos, head(q, maxLength * 3 / 4));
    long[] second = concat(sep, head(p, maxLength));
    int remove = first.length + second.length - maxLength;
    if (remove > 0) {
      if (second.length > remove) {
        second = head(second, second.length - remove);
        truncated = true;
      } else {
        LOG.log(System.Logger.Level.WARNING, "maxLength {0} leaves no room for the passage after a query of {1} tokens; "
            + "not truncating (as transformers' prepare_for_model)", maxLength, first.length);
      }
    }
    int queryLength = Math.min(first.length + sep.length, first.length + second.length);
    return new PromptTokens(concat(first, second, sep, prompt), queryLength, sep.length + prompt.length, truncated);
  }

  @Override
  public boolean leftPadding() {
    return false;
  }

  @Override
  public int padToMultipleOf() {
    return 8;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("prompt", promptText);
    m.put("maxLength", Integer.toString(maxLength));
    m.put("padding", "right, multiple of 8");
    return m;
  }
}
