package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.json.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's {@code config.json} with typed, checked getters; config records read their fields
 * from it under the JSON names.
 */
public final class ConfigJson {
  private final String source;
  private final Map<String, Object> map;

  private ConfigJson(String source, Map<String, Object> map) {
    this.source = source;
    this.map = map;
  }

  /**
   * Reads a config.json file.
   *
   * @throws ModelLoadException naming the file when it is unreadable, not UTF-8, not JSON or not
   *     an object
   */
  public static ConfigJson read(Path file) {
    return new ConfigJson(file.toString(), JsonFile.readObject(file));
  }

  /** A config from a parsed map (nested configs, tests). */
  public static ConfigJson of(String source, Map<String, Object> map) {
    return new ConfigJson(source, map);
  }

  /** Where the config came from. */
  public String source() {
    return source;
  }

  /** Whether a key is present and not null. */
  public boolean has(String key) {
    return map.get(key) != null;
  }

  /** The raw value, or null. */
  public Object raw(String key) {
    return map.get(key);
  }

  /**
   * A required integer (a JSON number without fraction, e.g. {@code 32} or {@code 32.0}).
   *
   * @throws ConfigException naming the file, the field, what was found and what is allowed
   */
  public int integer(String key) {
    Object o = map.get(key);
    if (o instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return (int) (long) l;
    }
    if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      return (int) (double) d;
    }
    String allowed;
    if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      allowed = "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (this one is out of range)";
    } else if (o instanceof String) {
      allowed = "an integer written as a JSON number, not a string (32, not \"32\")";
    } else {
      allowed = "an integer";
    }
    throw bad(key, o, allowed);
  }

  /** An integer, or the default when absent or null. */
  public int integer(String key, int defaultValue) {
    return has(key) ? integer(key) : defaultValue;
  }

  /** A finite number, or the default when absent or null. */
  public double number(String key, double defaultValue) {
    Object o = map.get(key);
    if (o == null) {
      return defaultValue;
    }
    if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw bad(key, o, o instanceof String ? "a JSON number, not a string" : "a finite number");
    }
    return n.doubleValue();
  }

  /** A string, or the default when absent or null. */
  public String string(String key, String defaultValue) {
    Object o = map.get(key);
    if (o == null) {
      return defaultValue;
    }
    if (!(o instanceof String s)) {
      throw bad(key, o, "a string");
    }
    return s;
  }

  /** A boolean, or the default when absent or null. */
  public boolean bool(String key, boolean defaultValue) {
    Object o = map.get(key);
    if (o == null) {
      return defaultValue;
    }
    if (!(o instanceof Boolean b)) {
      throw bad(key, o, "true or false");
    }
    return b;
  }

  /**
   * The exception, its message prefixed with this config's file when it does not name it yet (the
   * config records check cross-field rules without knowing the file).
   */
  public ConfigException inFile(ConfigException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains(source) ? e : new ConfigException(source + ": " + m, e);
  }

  /** The exception for a field: the file, the field, what was found and what is allowed. */
  public ConfigException bad(String key, Object found, String allowed) {
    return new ConfigException(source + ": " + key + " is " + JsonFile.describe(found) + "; allowed: " + allowed);
  }

  /** A list of strings (a single string becomes a one-element list), or empty. */
  public List<String> strings(String key) {
    Object o = map.get(key);
    List<String> out = new ArrayList<>();
    if (o instanceof String s) {
      out.add(s);
    } else if (o instanceof List<?> l) {
      for (Object e : l) {
        out.add(String.valueOf(e));
      }
    }
    return out;
  }

  /** A nested object, or null. */
  @SuppressWarnings("unchecked")
  public ConfigJson object(String key) {
    Object o = map.get(key);
    return o instanceof Map ? new ConfigJson(source + "#" + key, (Map<String, Object>) o) : null;
  }

  /** The {@code architectures} list. */
  public List<String> architectures() {
    return strings("architectures");
  }

  /** {@code model_type}, or "". */
  public String modelType() {
    return string("model_type", "");
  }

  /** The number of labels: {@code id2label}'s size, else {@code num_labels}, else 2 (transformers' default). */
  public int numLabels() {
    if (map.get("id2label") instanceof Map<?, ?> m && !m.isEmpty()) {
      return m.size();
    }
    return integer("num_labels", 2);
  }
}
