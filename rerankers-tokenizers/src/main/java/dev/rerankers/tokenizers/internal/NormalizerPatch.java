package dev.rerankers.tokenizers.internal;

import dev.rerankers.json.Json;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code do_lower_case}, {@code strip_accents} and {@code tokenize_chinese_chars} from
 * {@code tokenizer_config.json} to a {@code BertNormalizer} in {@code tokenizer.json}, as
 * transformers' {@code BertTokenizerFast} does when the two disagree. Only keys the config sets
 * explicitly are applied. Not API.
 */
public final class NormalizerPatch {
  private NormalizerPatch() {}

  /** The tokenizer.json text, patched when the config disagrees with its BertNormalizer. */
  public static String apply(String tokenizerJson, TokenizerConfig config) {
    boolean anySet =
        config.doLowerCase() != null
            || config.stripAccents() != null
            || config.tokenizeChineseChars() != null;
    if (!anySet || !tokenizerJson.contains("BertNormalizer")) {
      return tokenizerJson;
    }
    Object root = Json.parse(tokenizerJson);
    if (!(root instanceof Map<?, ?> map) || !patch(map.get("normalizer"), config)) {
      return tokenizerJson;
    }
    return JsonWriter.write(root);
  }

  @SuppressWarnings("unchecked")
  private static boolean patch(Object normalizer, TokenizerConfig config) {
    if (!(normalizer instanceof Map<?, ?> n)) {
      return false;
    }
    Object type = n.get("type");
    if ("Sequence".equals(type) && n.get("normalizers") instanceof List<?> list) {
      boolean changed = false;
      for (Object child : list) {
        changed |= patch(child, config);
      }
      return changed;
    }
    if (!"BertNormalizer".equals(type)) {
      return false;
    }
    Map<String, Object> m = (Map<String, Object>) n;
    boolean changed = false;
    changed |= set(m, "lowercase", config.doLowerCase());
    changed |= set(m, "strip_accents", config.stripAccents());
    changed |= set(m, "handle_chinese_chars", config.tokenizeChineseChars());
    return changed;
  }

  private static boolean set(Map<String, Object> m, String key, Boolean value) {
    if (value == null || value.equals(m.get(key))) {
      return false;
    }
    m.put(key, value);
    return true;
  }
}
