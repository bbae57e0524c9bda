package dev.rerankers.monovlm.testing;

import dev.rerankers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixture made by src/test/python/make_monovlm_fixture.py (src/test/resources/monovlm): a tiny
 * Qwen2-VL, a LoRA adapter on it, test images and what transformers and Python rerankers computed.
 */
public final class Fixture {
  private Fixture() {}

  /** The fixture folder. */
  public static Path dir() {
    return resource("monovlm");
  }

  /** A folder or file under src/test/resources. */
  public static Path resource(String relative) {
    try {
      return Path.of(Fixture.class.getResource("/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + relative + " is missing", e);
    }
  }

  /** expected.json. */
  public static Map<String, Object> expected() {
    return json(dir().resolve("expected.json"));
  }

  /** A JSON file as a map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(Path file) {
    try {
      return (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** A JSON list of objects. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(Object o) {
    return (List<Map<String, Object>>) o;
  }

  /** A nested JSON list of numbers, flattened row-major to floats. */
  public static float[] floats(Object nested) {
    List<Number> out = new ArrayList<>();
    flatten(nested, out);
    float[] f = new float[out.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = out.get(i).floatValue();
    }
    return f;
  }

  /** A nested JSON list of integers, flattened row-major to longs. */
  public static long[] longs(Object nested) {
    List<Number> out = new ArrayList<>();
    flatten(nested, out);
    long[] l = new long[out.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = out.get(i).longValue();
    }
    return l;
  }

  private static void flatten(Object o, List<Number> out) {
    if (o instanceof List<?> l) {
      for (Object e : l) {
        flatten(e, out);
      }
    } else {
      out.add((Number) o);
    }
  }

  /** The largest absolute difference. */
  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
