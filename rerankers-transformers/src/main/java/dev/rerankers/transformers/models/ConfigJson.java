package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /** Reads a config.json file. */
  @SuppressWarnings("unchecked")
  public static ConfigJson read(Path file) {
    try {
      Object o = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!(o instanceof Map)) {
        throw new ModelLoadException(file + " must hold a JSON object");
      }
      return new ConfigJson(file.toString(), (Map<String, Object>) o);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file + " is not valid JSON: " + e.getMessage(), e);
    }
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

  /** A required integer. */
  public int integer(String key) {
    Object o = map.get(key);
    if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(source + ": " + key + " must be an integer, got " + o);
    }
    return Math.toIntExact(n.longValue());
  }

  /** An integer, or the default when absent or null. */
  public int integer(String key, int defaultValue) {
    return has(key) ? integer(key) : defaultValue;
  }

  /** A number, or the default when absent or null. */
  public double number(String key, double defaultValue) {
    Object o = map.get(key);
    if (o == null) {
      return defaultValue;
    }
    if (!(o instanceof Number n)) {
      throw new ConfigException(source + ": " + key + " must be a number, got " + o);
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
      throw new ConfigException(source + ": " + key + " must be a string, got " + o);
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
      throw new ConfigException(source + ": " + key + " must be true or false, got " + o);
    }
    return b;
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
