package dev.rerankers.tokenizers;

import dev.rerankers.ModelLoadException;
import dev.rerankers.json.JsonFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What {@code tokenizer_config.json} (and {@code special_tokens_map.json}) say about a tokenizer,
 * under their own field names. Every field is optional, as in the files.
 *
 * @param tokenizerClass the transformers class that wrote the tokenizer, e.g. {@code
 *     "BertTokenizer"}, or {@code null}
 * @param modelMaxLength {@code model_max_length}: the truncation length transformers uses with
 *     {@code truncation=True}; {@code null} when absent or the "unbounded" sentinel ({@code 1e30})
 * @param doLowerCase {@code do_lower_case}, or {@code null}
 * @param stripAccents {@code strip_accents}, or {@code null} (unset, or explicitly {@code null})
 * @param tokenizeChineseChars {@code tokenize_chinese_chars}, or {@code null}
 * @param modelInputNames {@code model_input_names}, or {@code null}
 * @param specialTokens special-token role ({@code "pad_token"}, {@code "cls_token"}, ...) to token
 *     text; {@code special_tokens_map.json} entries override the config's
 */
public record TokenizerConfig(
    String tokenizerClass,
    Integer modelMaxLength,
    Boolean doLowerCase,
    Boolean stripAccents,
    Boolean tokenizeChineseChars,
    List<String> modelInputNames,
    Map<String, String> specialTokens) {

  /** Above this, {@code model_max_length} is transformers' "no limit" placeholder. */
  private static final double UNBOUNDED = 1e9;

  /** Special-token roles read from the files. */
  private static final List<String> ROLES =
      List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

  /**
   * Tokenizer classes whose {@code model_input_names} has no {@code token_type_ids} in
   * transformers (their models ignore segment ids).
   */
  private static final Set<String> NO_TOKEN_TYPES =
      Set.of(
          "roberta", "xlmroberta", "camembert", "bart", "gpt2", "t5", "mt5", "llama", "qwen2",
          "gemma", "longformer", "mpnet", "distilbert", "bloom", "codegen", "mbart", "xlm-roberta");

  /** An empty config: nothing known. */
  public static final TokenizerConfig EMPTY = new TokenizerConfig(null, null, null, null, null, null, Map.of());

  public TokenizerConfig {
    modelInputNames = modelInputNames == null ? null : List.copyOf(modelInputNames);
    specialTokens =
        specialTokens == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
    if (modelMaxLength != null && modelMaxLength < 1) {
      throw new IllegalArgumentException("model_max_length must be >= 1, got " + modelMaxLength);
    }
  }

  /**
   * Reads the config files; either may be {@code null} or absent.
   *
   * @throws ModelLoadException naming the file when one is not valid JSON
   */
  public static TokenizerConfig read(Path tokenizerConfig, Path specialTokensMap) {
    Map<String, Object> cfg = readObject(tokenizerConfig);
    Map<String, Object> map = readObject(specialTokensMap);
    Map<String, String> special = new LinkedHashMap<>();
    for (String role : ROLES) {
      tokenText(cfg.get(role)).ifPresent(t -> special.put(role, t));
      tokenText(map.get(role)).ifPresent(t -> special.put(role, t));
    }
    Integer maxLen = null;
    Object m = cfg.get("model_max_length");
    if (m != null) {
      if (!(m instanceof Number n) || !(n.doubleValue() >= 1) || (n.doubleValue() < UNBOUNDED && n.doubleValue() != Math.rint(n.doubleValue()))) {
        throw new ModelLoadException(tokenizerConfig + ": model_max_length is " + JsonFile.describe(m)
            + "; allowed: a whole number of tokens >= 1 (or a number >= 1e9, transformers' \"no limit\" placeholder)."
            + " Fix the file or pass the maxLength option");
      }
      if (n.doubleValue() < UNBOUNDED) {
        maxLen = n.intValue();
      }
    }
    List<String> inputNames = null;
    if (cfg.get("model_input_names") instanceof List<?> list) {
      inputNames = list.stream().map(String::valueOf).toList();
    }
    String cls = cfg.get("tokenizer_class") instanceof String s ? s : null;
    return new TokenizerConfig(
        cls,
        maxLen,
        bool(cfg.get("do_lower_case")),
        bool(cfg.get("strip_accents")),
        bool(cfg.get("tokenize_chinese_chars")),
        inputNames,
        special);
  }

  /** The model_max_length, if the config sets a finite one. */
  public OptionalInt maxLength() {
    return modelMaxLength == null ? OptionalInt.empty() : OptionalInt.of(modelMaxLength);
  }

  /** The text of a special token by role ({@code "pad_token"}, ...), if set. */
  public Optional<String> specialToken(String role) {
    return Optional.ofNullable(specialTokens.get(role));
  }

  /**
   * Whether transformers' tokenizer returns {@code token_type_ids}: from {@code
   * model_input_names} when given, else by tokenizer class (RoBERTa, XLM-R, CamemBERT, GPT-2, T5,
   * Llama, Qwen2, ... have none; BERT, ELECTRA, DeBERTa and the generic fast tokenizer do).
   */
  public boolean returnsTokenTypeIds() {
    if (modelInputNames != null) {
      return modelInputNames.contains("token_type_ids");
    }
    if (tokenizerClass == null) {
      return true;
    }
    String c = tokenizerClass.toLowerCase(Locale.ROOT).replace("tokenizerfast", "").replace("tokenizer", "");
    return !NO_TOKEN_TYPES.contains(c);
  }

  private static Boolean bool(Object o) {
    return o instanceof Boolean b ? b : null;
  }

  private static Optional<String> tokenText(Object o) {
    if (o instanceof String s) {
      return Optional.of(s);
    }
    if (o instanceof Map<?, ?> m && m.get("content") instanceof String s) {
      return Optional.of(s);
    }
    return Optional.empty();
  }

  private static Map<String, Object> readObject(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return Map.of();
    }
    return JsonFile.readObject(file);
  }
}
