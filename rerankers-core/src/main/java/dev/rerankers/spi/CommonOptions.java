package dev.rerankers.spi;

import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
import dev.rerankers.RerankerSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The options every backend accepts, declared once. A backend that gives one of them its own
 * default or documentation declares a refined copy with the same key in {@link
 * RerankerProvider#options(String)}, e.g. {@code BATCH_SIZE.defaultValue(32)}; the copy replaces
 * the common declaration for that backend's loads.
 */
public final class CommonOptions {
  private static final Pattern DEVICE_NAME = Pattern.compile("cpu|gpu|gpu:\\d+|auto");

  private CommonOptions() {}

  /** Language for family defaults. */
  public static final Option<String> LANG =
      Option.text(RerankerSpec.LANG, String.class, CommonOptions::lang, "language for family defaults")
          .defaultValue("en");

  /** API key of a hosted ranker. */
  public static final Option<String> API_KEY =
      Option.text(RerankerSpec.API_KEY, String.class, v -> Credentials.check(RerankerSpec.API_KEY, v),
          "API key of a hosted ranker (else the provider's environment variable)");

  /** Endpoint URL. */
  public static final Option<String> URL =
      Option.text(RerankerSpec.URL, String.class, CommonOptions::url, "endpoint URL (http or https)");

  /** Device. */
  public static final Option<String> DEVICE =
      Option.text(RerankerSpec.DEVICE, String.class, CommonOptions::device, "cpu, gpu, gpu:N (or cuda, cuda:N) or auto");

  /** Data type of the weights during inference. */
  public static final Option<String> DTYPE =
      Option.text(RerankerSpec.DTYPE, String.class, CommonOptions::dtype, "fp32, fp16, bf16 or auto");

  /** Inputs per forward pass or per request. */
  public static final Option<Integer> BATCH_SIZE =
      Option.integer(RerankerSpec.BATCH_SIZE, "inputs per forward pass or per request").atLeast(1);

  /** Maximum input length in tokens. */
  public static final Option<Integer> MAX_LENGTH =
      Option.integer(RerankerSpec.MAX_LENGTH, "maximum input length in tokens").atLeast(1);

  /** Hub revision. */
  public static final Option<String> REVISION =
      Option.text(RerankerSpec.REVISION, String.class, v -> notBlank(RerankerSpec.REVISION, v),
              "Hub revision: branch, tag or commit")
          .defaultValue("main");

  /** Never touch the network for model files. */
  public static final Option<Boolean> OFFLINE =
      Option.bool(RerankerSpec.OFFLINE, "never touch the network for model files (also HF_HUB_OFFLINE=1)")
          .defaultValue(false);

  /** Hugging Face token for gated models. */
  public static final Option<String> HF_TOKEN =
      Option.text(RerankerSpec.HF_TOKEN, String.class, v -> Credentials.check(RerankerSpec.HF_TOKEN, v),
          "Hugging Face token for gated models (also HF_TOKEN)");

  /** The Hub cache folder. */
  public static final Option<String> CACHE_DIR =
      Option.text(RerankerSpec.CACHE_DIR, String.class, v -> notBlank(RerankerSpec.CACHE_DIR, v),
          "the Hub cache folder (also HF_HUB_CACHE, HF_HOME)");

  /** Allow a credential over plain http to a non-loopback host. */
  public static final Option<Boolean> ALLOW_INSECURE =
      Option.bool(RerankerSpec.ALLOW_INSECURE,
              "allow sending a key or token over plain http to a host other than loopback (also HF_HUB_ALLOW_INSECURE=1)")
          .defaultValue(false);

  /** All of them, in documentation order. */
  public static final List<Option<?>> ALL =
      List.of(LANG, API_KEY, URL, DEVICE, DTYPE, BATCH_SIZE, MAX_LENGTH, REVISION, OFFLINE, HF_TOKEN, CACHE_DIR,
          ALLOW_INSECURE);

  static String lang(String lang) {
    if (lang == null || lang.isBlank()) {
      throw new ConfigException("lang must be a language code such as 'en', got '" + lang + "'");
    }
    return lang.strip().toLowerCase(Locale.ROOT);
  }

  static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be blank");
    }
    return value.strip();
  }

  static String url(String url) {
    notBlank(RerankerSpec.URL, url);
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new ConfigException("url must be an http(s) URL with a host, got '" + Credentials.maskUrl(url) + "'");
      }
      return url.strip();
    } catch (URISyntaxException e) {
      throw new ConfigException("url '" + Credentials.maskUrl(url) + "' is not a valid URL: " + e.getReason());
    }
  }

  static String device(String device) {
    String d = notBlank(RerankerSpec.DEVICE, device).toLowerCase(Locale.ROOT);
    if (d.equals("cuda")) {
      d = "gpu";
    } else if (d.startsWith("cuda:")) {
      d = "gpu:" + d.substring(5);
    }
    if (!DEVICE_NAME.matcher(d).matches()) {
      throw new ConfigException("device must be cpu, gpu, gpu:N (or cuda, cuda:N) or auto, got '" + device + "'");
    }
    return d;
  }

  static String dtype(String dtype) {
    String d = notBlank(RerankerSpec.DTYPE, dtype).toLowerCase(Locale.ROOT);
    return switch (d) {
      case "fp32", "float32", "float" -> "fp32";
      case "fp16", "float16", "half" -> "fp16";
      case "bf16", "bfloat16" -> "bf16";
      case "auto" -> "auto";
      default -> throw new ConfigException(
          "dtype must be fp32, fp16, bf16 or auto (or float32, float16, bfloat16), got '" + dtype + "'");
    };
  }
}
