package dev.rerankers.llmlayerwise.internal;

import static dev.rerankers.llmlayerwise.internal.PairPrompt.concat;
import static dev.rerankers.llmlayerwise.internal.PairPrompt.head;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Qwen3-Reranker's published prompt (the model card's {@code format_instruction} and {@code
 * process_inputs}):
 *
 * <pre>
 * prefix = "&lt;|im_start|&gt;system\nJudge whether the Document meets the requirements based on the Query and the
 *           Instruct provided. Note that the answer can only be \"yes\" or \"no\".&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n"
 * body   = ids("&lt;Instruct&gt;: {instruction}\n&lt;Query&gt;: {query}\n&lt;Document&gt;: {doc}")
 *          cut from its end to maxLength − |prefix| − |suffix|
 * suffix = "&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n&lt;think&gt;\n\n&lt;/think&gt;\n\n"
 * </pre>
 *
 * with the default instruction "Given a web search query, retrieve relevant passages that answer
 * the query" and {@code maxLength} 8192. Left padding. Prefix, body and suffix are tokenized
 * separately, as the model card does.
 */
public final class Qwen3Prompt implements PairPrompt {
  /** The model card's default instruction. */
  public static final String DEFAULT_INSTRUCTION = "Given a web search query, retrieve relevant passages that answer the query";
  static final String PREFIX = "<|im_start|>system\nJudge whether the Document meets the requirements based on the "
      + "Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
      + "<|im_start|>user\n";
  static final String SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";

  private final PromptTokenizer tokenizer;
  private final String instruction;
  private final long[] prefix;
  private final long[] suffix;
  private final int maxLength;

  /**
   * @param instruction the task instruction, or null for the default
   * @param maxLength the whole prompt's budget (default 8192)
   */
  public Qwen3Prompt(PromptTokenizer tokenizer, String instruction, int maxLength) {
    this.tokenizer = tokenizer;
    this.instruction = instruction == null || instruction.isEmpty() ? DEFAULT_INSTRUCTION : instruction;
    this.prefix = tokenizer.ids(PREFIX);
    this.suffix = tokenizer.ids(SUFFIX);
    if (maxLength <= prefix.length + suffix.length) {
      throw new dev.rerankers.ConfigException("maxLength " + maxLength + " leaves no room for the query and document after "
          + (prefix.length + suffix.length) + " template tokens");
    }
    this.maxLength = maxLength;
  }

  @Override
  public PromptTokens build(String query, String document) {
    long[] body = tokenizer.ids("<Instruct>: " + instruction + "\n<Query>: " + query + "\n<Document>: " + document);
    int budget = maxLength - prefix.length - suffix.length;
    return PromptTokens.of(concat(prefix, head(body, budget), suffix), body.length > budget);
  }

  @Override
  public boolean leftPadding() {
    return true;
  }

  @Override
  public int padToMultipleOf() {
    return 1;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("instruction", instruction);
    m.put("maxLength", Integer.toString(maxLength));
    m.put("padding", "left");
    return m;
  }
}
