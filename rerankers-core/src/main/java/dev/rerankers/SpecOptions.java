package dev.rerankers;

import dev.rerankers.spi.CommonOptions;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of option values, shared by the builder setters and the config-string parser. */
final class SpecOptions {
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

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
    return CommonOptions.LANG.parse(lang);
  }

  static String checkNotBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be blank");
    }
    return value.strip();
  }

  static String checkUrl(String url) {
    return CommonOptions.URL.parse(url);
  }

  static String checkDevice(String device) {
    return CommonOptions.DEVICE.parse(device);
  }

  static String checkDtype(String dtype) {
    return CommonOptions.DTYPE.parse(dtype);
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
