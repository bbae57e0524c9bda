package dev.rerankers.monovlm.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * MonoQwen2-VL's input: Qwen2-VL's chat template applied to one user message holding the image and
 * the instruction, with the generation prompt, exactly as Python rerankers builds it through
 * {@code processor.apply_chat_template(..., add_generation_prompt=True)}:
 *
 * <pre>
 * &lt;|im_start|&gt;system\nYou are a helpful assistant.&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n
 * &lt;|vision_start|&gt;&lt;|image_pad|&gt;&lt;|vision_end|&gt;{prompt}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n
 * </pre>
 *
 * where {@code prompt} is the template with {@code {query}} replaced. The text is tokenized as one
 * string (no special tokens added, nothing truncated) and the single {@code <|image_pad|>} is then
 * repeated once per merged image patch, as the Qwen2-VL processor expands it.
 *
 * <p>Immutable and thread-safe.
 */
public final class MonoVlmPrompt {
  /** Python rerankers' {@code MonoVLMRanker} prompt template. */
  public static final String DEFAULT_TEMPLATE = "Assert the relevance of the previous image document to the following "
      + "query, answer True or False. The query is: {query}";
  /** The placeholder the query replaces. */
  public static final String QUERY = "{query}";
  static final String IMAGE_PAD = "<|image_pad|>";
  private static final String BEFORE = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
      + "<|vision_start|>" + IMAGE_PAD + "<|vision_end|>";
  private static final String AFTER = "<|im_end|>\n<|im_start|>assistant\n";

  private final HfTokenizer tokenizer;
  private final String template;
  private final long imagePadId;

  /**
   * @param template the instruction, with {@code {query}} where the query goes
   * @param imagePadId the id of {@code <|image_pad|>}
   * @throws ConfigException when the template has no {@code {query}}
   */
  public MonoVlmPrompt(HfTokenizer tokenizer, String template, long imagePadId) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = checkTemplate(template);
    this.imagePadId = imagePadId;
  }

  /**
   * The template, checked: it must say where the query goes.
   *
   * @throws ConfigException when it has no {@code {query}}
   */
  public static String checkTemplate(String template) {
    if (template == null || !template.contains(QUERY)) {
      throw new ConfigException("promptTemplate must contain " + QUERY + ", got '" + template + "'");
    }
    return template;
  }

  /** The template. */
  public String template() {
    return template;
  }

  /** The chat text for a query, with one {@code <|image_pad|>}. */
  public String text(String query) {
    return BEFORE + template.replace(QUERY, query) + AFTER;
  }

  /**
   * The token ids around the image for a query: {@code [before, after]}, the image's {@code
   * <|image_pad|>} run goes between them.
   *
   * @throws IllegalArgumentException when the query itself holds {@code <|image_pad|>}
   */
  public long[][] parts(String query) {
    long[] ids = tokenizer.encodeRaw(text(query)).ids();
    int at = -1;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == imagePadId) {
        if (at >= 0) {
          throw new IllegalArgumentException("the query holds the special token " + IMAGE_PAD
              + "; remove it (it would stand for image patches)");
        }
        at = i;
      }
    }
    if (at < 0) {
      throw new IllegalStateException("the tokenizer does not map " + IMAGE_PAD + " to id " + imagePadId);
    }
    return new long[][] {Arrays.copyOfRange(ids, 0, at), Arrays.copyOfRange(ids, at + 1, ids.length)};
  }

  /** {@code before + [<|image_pad|>] × imageTokens + after}. */
  public long[] ids(long[][] parts, int imageTokens) {
    long[] out = new long[parts[0].length + imageTokens + parts[1].length];
    System.arraycopy(parts[0], 0, out, 0, parts[0].length);
    Arrays.fill(out, parts[0].length, parts[0].length + imageTokens, imagePadId);
    System.arraycopy(parts[1], 0, out, parts[0].length + imageTokens, parts[1].length);
    return out;
  }
}
