package dev.rerankers.bench;

import dev.rerankers.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as JSON (the bench's files between processes). */
final class JsonOut {
  private JsonOut() {}

  static String write(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof String s) {
      return Json.quote(s);
    }
    if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "null";
    }
    if (o instanceof Number || o instanceof Boolean) {
      return String.valueOf(o);
    }
    if (o instanceof List<?> l) {
      List<String> parts = new ArrayList<>(l.size());
      l.forEach(e -> parts.add(write(e)));
      return "[" + String.join(",", parts) + "]";
    }
    if (o instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>(m.size());
      m.forEach((k, v) -> parts.add(Json.quote(String.valueOf(k)) + ":" + write(v)));
      return "{" + String.join(",", parts) + "}";
    }
    throw new IllegalArgumentException("cannot write " + o.getClass().getName() + " as JSON");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
