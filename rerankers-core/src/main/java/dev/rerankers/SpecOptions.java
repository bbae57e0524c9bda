package dev.rerankers;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of option values, shared by the builder setters and the config-string parser. */
final class SpecOptions {
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");
  private static final Pattern DEVICE = Pattern.compile("cpu|gpu|gpu:\\d+|auto");

  private SpecOptions() {}

  /** Routes a config-string key to the builder setter that validates it. */
  static void apply(Reranker.Builder b, String key, String value) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new ConfigException("option key '" + key + "' is not a valid name (letters, digits, '_', '.', '-')");
    }
    if (value == null) {
      throw new ConfigException("option " + key + " has no value");
    }
    switch (key) {
      case RerankerSpec.LANG -> b.lang(value);
      case RerankerSpec.API_KEY -> b.apiKey(value);
      case RerankerSpec.HF_TOKEN -> b.put(key, Credentials.check(key, value));
      case RerankerSpec.URL -> b.url(value);
      case RerankerSpec.DEVICE -> b.device(value);
      case RerankerSpec.DTYPE -> b.dtype(value);
      case RerankerSpec.BATCH_SIZE -> b.batchSize(parseInt(key, value));
      case RerankerSpec.MAX_LENGTH -> b.maxLength(parseInt(key, value));
      case RerankerSpec.REVISION -> b.revision(value);
      case "type" -> throw new ConfigException(
          "'type' is not an option; put the type before the model: 'TYPE:MODEL', e.g. 'cross-encoder:"
              + b.model() + "'");
      default -> b.put(key, value);
    }
  }

  static String checkType(String type) {
    if (type == null || !TYPE.matcher(type.strip().toLowerCase(Locale.ROOT)).matches()) {
      throw new ConfigException(
          "type '" + type + "' is not a model type name (e.g. cross-encoder, t5, colbert, cohere)");
    }
    return type.strip().toLowerCase(Locale.ROOT);
  }

  static String checkLang(String lang) {
    if (lang == null || lang.isBlank()) {
      throw new ConfigException("lang must be a language code such as 'en', got '" + lang + "'");
    }
    return lang.strip().toLowerCase(Locale.ROOT);
  }

  static String checkNotBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be blank");
    }
    return value.strip();
  }

  static String checkUrl(String url) {
    checkNotBlank(RerankerSpec.URL, url);
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

  static String checkDevice(String device) {
    String d = checkNotBlank(RerankerSpec.DEVICE, device).toLowerCase(Locale.ROOT);
    if (d.equals("cuda")) {
      d = "gpu";
    } else if (d.startsWith("cuda:")) {
      d = "gpu:" + d.substring(5);
    }
    if (!DEVICE.matcher(d).matches()) {
      throw new ConfigException("device must be cpu, gpu, gpu:N (or cuda, cuda:N) or auto, got '" + device + "'");
    }
    return d;
  }

  static String checkDtype(String dtype) {
    String d = checkNotBlank(RerankerSpec.DTYPE, dtype).toLowerCase(Locale.ROOT);
    return switch (d) {
      case "fp32", "float32", "float" -> "fp32";
      case "fp16", "float16", "half" -> "fp16";
      case "bf16", "bfloat16" -> "bf16";
      case "auto" -> "auto";
      default -> throw new ConfigException(
          "dtype must be fp32, fp16, bf16 or auto (or float32, float16, bfloat16), got '" + dtype + "'");
    };
  }

  static int checkPositive(String key, int value) {
    if (value < 1) {
      throw new ConfigException(key + " must be >= 1, got " + value);
    }
    return value;
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + value + "'");
    }
  }
}
