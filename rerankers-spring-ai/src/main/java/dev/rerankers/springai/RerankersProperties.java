package dev.rerankers.springai;

import dev.rerankers.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code rerankers.*} configuration properties read by {@link RerankersAutoConfiguration}.
 *
 * <pre>
 * rerankers.spec=cross-encoder:BAAI/bge-reranker-v2-m3?device=gpu
 * rerankers.batch-size=32
 * rerankers.top-k=5
 * rerankers.options.max-retries=3      # any backend option, kebab-case or [camelCase]
 * </pre>
 *
 * @param spec the config string of the ranker ({@code [type:]model[?key=value&...]}, as for {@code
 *     Reranker.load}); no ranker is built without it
 * @param type the model type, overriding inference and the spec's prefix
 * @param lang the language for family defaults ({@code en} by default)
 * @param apiKey the API key for hosted rankers (else the provider's environment variable); never
 *     printed
 * @param url a custom endpoint URL
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @param dtype {@code fp32}, {@code fp16} or {@code bf16}
 * @param batchSize documents per forward pass or per request
 * @param maxLength the maximum input length in tokens
 * @param revision the Hub revision to load
 * @param options any other option of the backend, by its config-string key ({@code
 *     rerankers.options.max-retries=3} or {@code rerankers.options[maxRetries]=3}); kebab-case keys
 *     are turned into camelCase
 * @param topK how many documents the post-processor keeps (all when unset)
 * @param scoreKey the metadata key the post-processor writes the score under
 */
@ConfigurationProperties(prefix = RerankersProperties.PREFIX)
public record RerankersProperties(
    String spec,
    String type,
    String lang,
    String apiKey,
    String url,
    String device,
    String dtype,
    Integer batchSize,
    Integer maxLength,
    String revision,
    Map<String, String> options,
    Integer topK,
    @DefaultValue(RerankerDocumentPostProcessor.DEFAULT_SCORE_KEY) String scoreKey) {

  /** The property prefix. */
  public static final String PREFIX = "rerankers";

  public RerankersProperties {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /**
   * These properties as {@code rerankers.<key>} entries for {@code Reranker.fromProperties}, which
   * parses the spec and validates every option (its errors name the offending property).
   */
  public Properties toRerankerProperties() {
    Properties p = new Properties();
    if (spec != null) {
      p.setProperty(PREFIX + ".spec", spec);
    }
    Map<String, Object> typed = new LinkedHashMap<>();
    typed.put("type", type);
    typed.put("lang", lang);
    typed.put("apiKey", apiKey);
    typed.put("url", url);
    typed.put("device", device);
    typed.put("dtype", dtype);
    typed.put("batchSize", batchSize);
    typed.put("maxLength", maxLength);
    typed.put("revision", revision);
    options.forEach((k, v) -> p.setProperty(PREFIX + "." + camelCase(k), v));
    typed.forEach((k, v) -> {
      if (v != null) {
        p.setProperty(PREFIX + "." + k, v.toString());
      }
    });
    return p;
  }

  /** {@code max-retries} → {@code maxRetries}; keys without dashes are kept as they are. */
  static String camelCase(String key) {
    if (key.indexOf('-') < 0) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length());
    boolean upper = false;
    for (char c : key.toCharArray()) {
      if (c == '-') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * Masks every credential by core's one rule ({@link Credentials}): the apiKey property, credential
   * options (apiKey, hfToken, names ending in key, token, secret, password) in the spec and the
   * options map, and user info in urls.
   */
  @Override
  public String toString() {
    Map<String, String> shownOptions = new LinkedHashMap<>();
    options.forEach((k, v) -> shownOptions.put(k, Credentials.maskValue(camelCase(k), v)));
    return "RerankersProperties[spec=" + Credentials.maskConfigString(spec)
        + ", type=" + type + ", lang=" + lang + ", apiKey=" + (apiKey == null ? null : Credentials.mask(apiKey))
        + ", url=" + Credentials.maskUrl(url) + ", device=" + device + ", dtype=" + dtype + ", batchSize=" + batchSize
        + ", maxLength=" + maxLength + ", revision=" + revision + ", options=" + shownOptions
        + ", topK=" + topK + ", scoreKey=" + scoreKey + "]";
  }
}
