package dev.rerankers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A resolved configuration: which model, which type, which backend, with which options. Produced
 * by {@link Reranker#resolve(String)} and {@link Reranker.Builder#resolve()}; handed to a backend's
 * {@link dev.rerankers.spi.RerankerProvider#create}. Immutable; {@link #toString()} and {@link
 * #toConfigString()} mask every credential option (see {@link Credentials}).
 */
public final class RerankerSpec {

  /** Option key: language for family defaults. */
  public static final String LANG = "lang";
  /** Option key: API key. */
  public static final String API_KEY = "apiKey";
  /** Option key: endpoint URL. */
  public static final String URL = "url";
  /** Option key: device. */
  public static final String DEVICE = "device";
  /** Option key: dtype. */
  public static final String DTYPE = "dtype";
  /** Option key: batch size. */
  public static final String BATCH_SIZE = "batchSize";
  /** Option key: maximum input length in tokens. */
  public static final String MAX_LENGTH = "maxLength";
  /** Option key: Hub revision. */
  public static final String REVISION = "revision";
  /** Option key: never touch the network for model files (also {@code HF_HUB_OFFLINE=1}). */
  public static final String OFFLINE = "offline";
  /** Option key: Hugging Face token for gated models (also {@code HF_TOKEN}). Never logged. */
  public static final String HF_TOKEN = "hfToken";
  /** Option key: the Hub cache folder (also {@code HF_HUB_CACHE}, {@code HF_HOME}). */
  public static final String CACHE_DIR = "cacheDir";
  /**
   * Option key: allow plain http where it would expose a secret (a token sent to a non-loopback
   * {@code http://} endpoint; also {@code HF_HUB_ALLOW_INSECURE=1} for the Hub). Default false.
   */
  public static final String ALLOW_INSECURE = "allowInsecure";

  /** The option keys every backend accepts. */
  public static final Set<String> COMMON_OPTIONS =
      Set.of(
          LANG, API_KEY, URL, DEVICE, DTYPE, BATCH_SIZE, MAX_LENGTH, REVISION, OFFLINE, HF_TOKEN, CACHE_DIR,
          ALLOW_INSECURE);

  private final String requested;
  private final String model;
  private final String type;
  private final String apiProvider;
  private final String backend;
  private final boolean typeExplicit;
  private final String reason;
  private final Map<String, String> options;

  RerankerSpec(
      String requested,
      String model,
      String type,
      String apiProvider,
      String backend,
      boolean typeExplicit,
      String reason,
      Map<String, String> options) {
    this.requested = Objects.requireNonNull(requested, "requested");
    this.model = Objects.requireNonNull(model, "model");
    this.type = Objects.requireNonNull(type, "type");
    this.apiProvider = apiProvider;
    this.backend = backend;
    this.typeExplicit = typeExplicit;
    this.reason = reason;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The model name exactly as the caller gave it (family name, id or path). */
  public String requested() {
    return requested;
  }

  /** The model id or path to load, after family defaults were applied. */
  public String model() {
    return model;
  }

  /** The model type, in the Python library's {@code model_type} names; for APIs the provider name. */
  public String type() {
    return type;
  }

  /** For hosted APIs the provider ({@code "cohere"}, {@code "jina"}, ...), else empty. */
  public Optional<String> apiProvider() {
    return Optional.ofNullable(apiProvider);
  }

  /**
   * The backend that serves the type ({@code "transformers"}, {@code "api"}, ...): the registered
   * provider's name, or the module that would serve it when that module is absent; empty for an
   * unknown type.
   */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /** Whether the caller pinned the type (else it was inferred). */
  public boolean typeExplicit() {
    return typeExplicit;
  }

  /** Why this type was chosen, in words. */
  public String reason() {
    return reason;
  }

  /**
   * All options set, by config-string key (credentials included: do not log this map; {@link
   * Credentials#maskOptions} gives the form to show).
   */
  public Map<String, String> options() {
    return options;
  }

  /** The language for family defaults ({@code "en"} unless set). */
  public String lang() {
    return options.getOrDefault(LANG, "en");
  }

  /** One option's value. */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /**
   * An integer option, or the default when unset.
   *
   * @deprecated backends read typed values from {@link dev.rerankers.spi.OptionValues}, checked against
   *     their declarations
   */
  @Deprecated
  public int intOption(String key, int defaultValue) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException("option " + key + " must be an integer, got '" + Credentials.maskValue(key, v) + "'");
    }
  }

  /**
   * A decimal option, or the default when unset.
   *
   * @deprecated backends read typed values from {@link dev.rerankers.spi.OptionValues}, checked against
   *     their declarations
   */
  @Deprecated
  public double doubleOption(String key, double defaultValue) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException("option " + key + " must be a number, got '" + Credentials.maskValue(key, v) + "'");
    }
  }

  /**
   * A boolean option ({@code true/false}, {@code yes/no}, {@code 1/0}), or the default when unset.
   *
   * @deprecated backends read typed values from {@link dev.rerankers.spi.OptionValues}, checked against
   *     their declarations
   */
  @Deprecated
  public boolean booleanOption(String key, boolean defaultValue) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on":
        return true;
      case "false", "no", "0", "off":
        return false;
      default:
        throw new ConfigException("option " + key + " must be true or false, got '" + Credentials.maskValue(key, v) + "'");
    }
  }

  /** A builder holding this spec's requested model, pinned type and options, to derive variants. */
  public Reranker.Builder toBuilder() {
    Reranker.Builder b = Reranker.builder(requested);
    if (typeExplicit) {
      b.type(type);
    }
    options.forEach(b::put);
    return b;
  }

  /**
   * This spec as a config string with its resolved type and model, e.g. {@code
   * cross-encoder:BAAI/bge-reranker-base?batchSize=8}; credentials are masked (see {@link
   * Credentials}), so the string shows what was configured but cannot be used to load it again.
   */
  public String toConfigString() {
    StringBuilder sb = new StringBuilder(type).append(':').append(Credentials.maskConfigString(model));
    char sep = '?';
    for (Map.Entry<String, String> e : options.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=');
      if (Credentials.isCredentialOption(e.getKey())) {
        sb.append(Credentials.mask(e.getValue())); // not encoded: a placeholder to read, not to parse
      } else {
        sb.append(URLEncoder.encode(Credentials.maskValue(e.getKey(), e.getValue()), StandardCharsets.UTF_8));
      }
      sep = '&';
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "RerankerSpec[model="
        + Credentials.maskConfigString(model)
        + ", type="
        + type
        + (apiProvider == null ? "" : ", apiProvider=" + apiProvider)
        + ", backend="
        + backend
        + ", options="
        + Credentials.maskOptions(options)
        + "]";
  }
}
