package dev.rerankers.llmlayerwise.internal;

import static dev.rerankers.llmlayerwise.internal.PairPrompt.concat;
import static dev.rerankers.llmlayerwise.internal.PairPrompt.head;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * mxbai-rerank v2's chat prompt and length budget, exactly as Python rerankers' {@code
 * MxBaiV2Ranker} (after mixedbread's {@code mxbai-rerank}):
 *
 * <pre>
 * prefix  = "&lt;|im_start|&gt;system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n"
 * query   = ids("query: {q}")  (or "instruction: {i}\nquery: {q}")   cut to maxLength·3/4
 * doc     = ids("document: {d}")  cut to min(modelMax − |query| − static, maxLength / 4)
 * content = query + ids("\n") + doc      (cut from its end to maxLength; never triggers)
 * prompt  = prefix + content + ids("\n") + ids(task) + ids(suffix)
 * </pre>
 *
 * where {@code static} = |prefix| + |task| + |suffix| + |"\n"|, {@code modelMax} is {@code
 * max_position_embeddings}, and {@code maxLength} (default 8192) is first lowered to {@code
 * modelMax − static} when it does not fit. Left padding to a multiple of 8.
 *
 * <p><b>Quirk kept:</b> the document gets at most a quarter of {@code maxLength} (2048 tokens by
 * default) even when the query is short and the model has room to spare; the query may use
 * three quarters. That is what the Python code does (its comment says "Use 1/4 of tokens for
 * document").
 */
public final class MxbaiPrompt implements PairPrompt {
  static final String PREFIX = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
      + "assistant.<|im_end|>\n<|im_start|>user\n";
  static final String SUFFIX = "<|im_end|>\n<|im_start|>assistant\n";
  static final String TASK = "You are a search relevance expert who evaluates how well documents match search "
      + "queries. For each query-document pair, carefully analyze the semantic relationship between them, then "
      + "provide your binary relevance judgment (0 for not relevant, 1 for relevant).\nRelevance:";

  private final PromptTokenizer tokenizer;
  private final String instruction;
  private final long[] prefix;
  private final long[] suffix;
  private final long[] task;
  private final long[] sep;
  private final int modelMaxLength;
  private final int maxLength;

  /**
   * @param instruction an instruction put before the query ({@code "instruction: ..."}), or null
   * @param maxLength the requested budget (Python's {@code max_length}, default 8192)
   * @param modelMaxLength the model's {@code max_position_embeddings}
   */
  public MxbaiPrompt(PromptTokenizer tokenizer, String instruction, int maxLength, int modelMaxLength) {
    this.tokenizer = tokenizer;
    this.instruction = instruction == null || instruction.isEmpty() ? null : instruction;
    this.prefix = tokenizer.ids(PREFIX);
    this.suffix = tokenizer.ids(SUFFIX);
    this.task = tokenizer.ids(TASK);
    this.sep = tokenizer.ids("\n");
    this.modelMaxLength = modelMaxLength;
    int fixed = staticLength();
    this.maxLength = maxLength + fixed > modelMaxLength ? modelMaxLength - fixed : maxLength;
    if (this.maxLength < 4) {
      throw new dev.rerankers.ConfigException("mxbai prompt needs " + fixed + " fixed tokens but the model has only "
          + modelMaxLength + " positions");
    }
  }

  /** |prefix| + |task| + |suffix| + |sep|: Python's {@code static_tokens_length}. */
  public int staticLength() {
    return prefix.length + task.length + suffix.length + sep.length;
  }

  /** The budget after fitting the static tokens into the model: Python's effective {@code max_length}. */
  public int effectiveMaxLength() {
    return maxLength;
  }

  @Override
  public PromptTokens build(String query, String document) {
    String queryText = "query: " + query;
    if (instruction != null) {
      queryText = "instruction: " + instruction + "\n" + queryText;
    }
    long[] q = tokenizer.ids(queryText);
    long[] queryIds = head(q, maxLength * 3 / 4);
    int available = modelMaxLength - queryIds.length - staticLength();
    int docMax = Math.min(available, maxLength / 4);
    long[] d = tokenizer.ids("document: " + document);
    long[] docIds = head(d, docMax);
    long[] second = concat(sep, docIds);
    int remove = queryIds.length + second.length - maxLength;
    if (remove > 0 && second.length > remove) {
      second = head(second, second.length - remove);
    }
    boolean truncated = q.length > queryIds.length || d.length > docIds.length || remove > 0;
    return PromptTokens.of(concat(prefix, queryIds, second, sep, task, suffix), truncated);
  }

  @Override
  public boolean leftPadding() {
    return true;
  }

  @Override
  public int padToMultipleOf() {
    return 8;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("maxLength", Integer.toString(maxLength));
    m.put("documentMaxTokens", Integer.toString(maxLength / 4));
    if (instruction != null) {
      m.put("instruction", instruction);
    }
    m.put("padding", "left, multiple of 8");
    return m;
  }
}
