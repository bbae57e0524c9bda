package dev.rerankers.tokenizers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.InferenceException;
import dev.rerankers.json.Json;
import dev.rerankers.json.JsonFile;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.tokenizers.internal.NormalizerPatch;
import dev.rerankers.tokenizers.internal.TokenizerJsonCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A Hugging Face tokenizer: {@code tokenizer.json} run by the Rust {@code tokenizers} library,
 * with {@code tokenizer_config.json} applied as transformers applies it:
 *
 * <ul>
 *   <li>truncation length: {@code model_max_length} unless {@link Builder#maxLength} overrides it;
 *       none when neither is set (transformers' "unbounded" sentinel included);
 *   <li>pairs are truncated longest-first, counting the special tokens, exactly as
 *       transformers' {@code tokenizer(a, b, truncation=True)} (the same Rust code runs);
 *   <li>{@code do_lower_case}, {@code strip_accents}, {@code tokenize_chinese_chars} override a
 *       {@code BertNormalizer} that disagrees, as {@code BertTokenizerFast} does;
 *   <li>padding uses the {@code pad_token}'s id; token type ids are kept only where transformers'
 *       tokenizer returns them ({@link TokenizerConfig#returnsTokenTypeIds()}).
 * </ul>
 *
 * <p>Thread-safe: encoding may run from several threads at once. {@link #close()} waits for
 * running calls and frees the native tokenizer; later calls throw {@link IllegalStateException}.
 */
public final class HfTokenizer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HfTokenizer.class.getName());

  private final String name;
  private final TokenizerConfig config;
  private final int maxLength;
  private final Path tokenizerJson;
  private final HuggingFaceTokenizer tokenizer;
  private final long padId;
  private final CloseGuard guard;
  private final TokenizerJsonCheck.Summary summary;

  private HfTokenizer(String name, Path tokenizerJson, TokenizerConfig config, int maxLength, String maxLengthFrom) {
    this.name = name;
    this.guard = new CloseGuard("tokenizer " + name);
    this.tokenizerJson = tokenizerJson;
    this.config = config;
    this.maxLength = maxLength;
    DjlSettings.apply();
    // Everything the native tokenizer could panic on is refused here, in Java: a Rust panic
    // inside a JNI call aborts the whole JVM.
    String json = JsonFile.readText(tokenizerJson);
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(tokenizerJson + " is not valid JSON (" + e.getMessage() + "); download it again", e);
    }
    this.summary = TokenizerJsonCheck.check(tokenizerJson, root);
    json = NormalizerPatch.apply(json, config);
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "true");
    options.put("withOverflowingTokens", "false");
    options.put("padding", "false");
    if (maxLength > 0) {
      options.put("truncation", "LONGEST_FIRST");
      options.put("maxLength", Integer.toString(maxLength));
      options.put("modelMaxLength", Integer.toString(maxLength));
    } else {
      options.put("truncation", "false");
    }
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), options);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "cannot load tokenizer " + tokenizerJson + " (is it a tokenizer.json written by Hugging Face tokenizers?): " + e.getMessage(), e);
    }
    try {
      int specials = specialTokensOfPair();
      // only a length from the file: an explicit option may be tiny on purpose (ColBERT's edge cases)
      if (maxLengthFrom.startsWith("model_max_length") && maxLength > 0 && maxLength < specials + 2) {
        throw new ModelLoadException("the truncation length " + maxLength + " (" + maxLengthFrom + ") of tokenizer "
            + tokenizerJson + " leaves no room for text: a pair takes " + specials + " special tokens; allowed: at least "
            + (specials + 2));
      }
      this.padId = resolvePadId();
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Loads the tokenizer of a model (its {@code tokenizer.json} and config files). */
  public static HfTokenizer load(ModelSource source) {
    return builder(source).build();
  }

  /** Loads the tokenizer in a local model folder. */
  public static HfTokenizer load(Path folder) {
    return builder(ModelSource.local(folder)).build();
  }

  /** A builder for a model's tokenizer, to override the truncation length. */
  public static Builder builder(ModelSource source) {
    return new Builder(Objects.requireNonNull(source, "source"));
  }

  /** The truncation length in tokens, special tokens included; empty when texts are not truncated. */
  public OptionalInt maxLength() {
    return maxLength > 0 ? OptionalInt.of(maxLength) : OptionalInt.empty();
  }

  /** What the config files said. */
  public TokenizerConfig config() {
    return config;
  }

  /** Whether {@link #pad} keeps token type ids (as transformers' tokenizer returns them). */
  public boolean returnsTokenTypeIds() {
    return config.returnsTokenTypeIds();
  }

  /** The id written at padding positions: the {@code pad_token}'s id, else 0. */
  public long padId() {
    return padId;
  }

  /**
   * The id of one vocabulary or added token, given as it appears in the vocabulary ({@code
   * "[unused0]"}, {@code "▁true"}); empty when absent.
   */
  public OptionalLong tokenId(String token) {
    Objects.requireNonNull(token, "token");
    Long id = vocab().get(token);
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  /** Encodes one text with special tokens, truncated to {@link #maxLength()}. */
  public Encoding encode(String text) {
    requireText(text, "text");
    return guard.call(() -> native1(0, () -> tokenizer.encode(text)));
  }

  /** Encodes one text without special tokens and without truncation. */
  public Encoding encodeRaw(String text) {
    requireText(text, "text");
    return guard.call(() -> native1(0, () -> tokenizer.encode(text, false, false)));
  }

  /**
   * Encodes a pair of texts with special tokens ({@code [CLS] a [SEP] b [SEP]}, {@code <s> a </s></s>
   * b </s>}, ...), truncated longest-first to {@link #maxLength()}.
   */
  public Encoding encodePair(String first, String second) {
    requireText(first, "first");
    requireText(second, "second");
    return guard.call(() -> native1(0, () -> tokenizer.encode(first, second)));
  }

  /** Encodes texts one by one (in parallel for larger lists), in input order. */
  public List<Encoding> encodeBatch(List<String> texts) {
    String[] array = toArray(texts, "texts");
    if (array.length == 0) {
      return List.of();
    }
    return guard.call(() -> encodeAll(array.length, i -> tokenizer.encode(array[i])));
  }

  /** Encodes {@code (query, document)} pairs, in input order; see {@link #encodePair}. */
  public List<Encoding> encodePairs(String query, List<String> documents) {
    requireText(query, "query");
    String[] docs = toArray(documents, "documents");
    if (docs.length == 0) {
      return List.of();
    }
    return guard.call(() -> encodeAll(docs.length, i -> tokenizer.encode(query, docs[i])));
  }

  /**
   * Pads encodings on the right to the longest, with the pad id; token type ids are kept when
   * {@link #returnsTokenTypeIds()}.
   */
  public PaddedBatch pad(List<Encoding> encodings) {
    return PaddedBatch.of(encodings, padId, returnsTokenTypeIds(), false, 1);
  }

  /** Pads encodings on the chosen side, the length rounded up to a multiple of {@code padToMultipleOf}. */
  public PaddedBatch pad(List<Encoding> encodings, boolean left, int padToMultipleOf) {
    return PaddedBatch.of(encodings, padId, returnsTokenTypeIds(), left, padToMultipleOf);
  }

  /** Frees the native tokenizer. Idempotent; waits for calls in progress. */
  @Override
  public void close() {
    guard.close(tokenizer);
  }

  @Override
  public String toString() {
    return "HfTokenizer[" + name + ", maxLength=" + (maxLength > 0 ? maxLength : "none") + "]";
  }

  /** Below this many texts, encoding runs on the calling thread. */
  private static final int PARALLEL_FROM = 16;

  /**
   * Encodes texts one call each. Not DJL's batchEncode: its native side unwraps the Rust result, so
   * any tokenizer error there is a panic that aborts the JVM; the single-text calls turn errors
   * into exceptions. Parallel for larger lists (the same speed as the native batch).
   */
  private List<Encoding> encodeAll(int n, java.util.function.IntFunction<ai.djl.huggingface.tokenizers.Encoding> one) {
    java.util.stream.IntStream range = java.util.stream.IntStream.range(0, n);
    if (n >= PARALLEL_FROM) {
      range = range.parallel();
    }
    Encoding[] out = new Encoding[n];
    range.forEach(i -> out[i] = native1(i, () -> one.apply(i)));
    return List.of(out);
  }

  /** One native encode call; a tokenizer error (a Rust error turned into an exception) names the file. */
  private Encoding native1(int index, java.util.function.Supplier<ai.djl.huggingface.tokenizers.Encoding> call) {
    ai.djl.huggingface.tokenizers.Encoding e;
    try {
      e = call.get();
    } catch (RuntimeException ex) {
      throw new InferenceException("tokenizer " + tokenizerJson + " failed on text " + index + ": " + ex.getMessage()
          + " (the tokenizer file is inconsistent; download it again)", ex);
    }
    return new Encoding(e.getIds(), e.getTypeIds(), e.exceedMaxLength());
  }

  /** The largest token id this tokenizer can produce (model vocabulary, added and special tokens). */
  public long maxTokenId() {
    return summary.maxId();
  }

  /** The number of special tokens a pair gets ({@code [CLS] a [SEP] b [SEP]}: 3). */
  private int specialTokensOfPair() {
    try {
      return tokenizer.encode("", "", true, false).getIds().length;
    } catch (RuntimeException e) {
      throw new ModelLoadException("tokenizer " + tokenizerJson + " cannot encode an empty pair: " + e.getMessage()
          + " (the file is inconsistent; download it again)", e);
    }
  }

  private static void requireText(String text, String what) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is null");
    }
  }

  private static String[] toArray(List<String> texts, String what) {
    if (texts == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    String[] array = new String[texts.size()];
    for (int i = 0; i < array.length; i++) {
      String t = texts.get(i);
      if (t == null) {
        throw new IllegalArgumentException(what + "[" + i + "] is null");
      }
      array[i] = t;
    }
    return array;
  }

  private long resolvePadId() {
    String pad = config.specialToken("pad_token").orElse(null);
    if (pad != null) {
      ai.djl.huggingface.tokenizers.Encoding e;
      try {
        e = tokenizer.encode(pad, false, false);
      } catch (RuntimeException ex) {
        throw new ModelLoadException("tokenizer " + tokenizerJson + " cannot encode its pad_token " + pad + ": "
            + ex.getMessage() + " (the file is inconsistent; download it again)", ex);
      }
      if (e.getIds().length == 1 && pad.equals(e.getTokens()[0])) {
        return e.getIds()[0];
      }
      OptionalLong id = tokenId(pad);
      if (id.isPresent()) {
        return id.getAsLong();
      }
      LOG.log(System.Logger.Level.WARNING, "pad_token {0} of {1} is not in the vocabulary; padding with id 0", pad, name);
    }
    return 0;
  }

  /** token → id: the model vocabulary and added tokens, as the tokenizer gives them. */
  private Map<String, Long> vocab() {
    return summary.vocab();
  }

  /**
   * Options for loading a tokenizer. Not thread-safe; the tokenizers it builds are independent of
   * it.
   */
  public static final class Builder {
    private final ModelSource source;
    private Integer maxLength;

    private Builder(ModelSource source) {
      this.source = source;
    }

    /**
     * The truncation length in tokens, special tokens included (default: {@code model_max_length}
     * from {@code tokenizer_config.json}, or no truncation).
     */
    public Builder maxLength(int maxLength) {
      if (maxLength < 2) {
        throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Loads {@code tokenizer.json} (required) with {@code tokenizer_config.json} and {@code
     * special_tokens_map.json} (optional).
     *
     * @throws ModelLoadException when tokenizer.json is missing or unreadable
     */
    public HfTokenizer build() {
      Path json = source.file("tokenizer.json");
      TokenizerConfig config =
          TokenizerConfig.read(
              source.optionalFile("tokenizer_config.json").orElse(null),
              source.optionalFile("special_tokens_map.json").orElse(null));
      int len = maxLength != null ? maxLength : config.maxLength().orElse(0);
      String from = maxLength != null ? "the maxLength option" : "model_max_length in tokenizer_config.json";
      return new HfTokenizer(source.id(), json, config, len, from);
    }
  }
}
