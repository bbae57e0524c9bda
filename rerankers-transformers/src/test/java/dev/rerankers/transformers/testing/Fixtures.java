package dev.rerankers.transformers.testing;

import dev.rerankers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test resources: folders and JSON numbers. */
public final class Fixtures {
  private Fixtures() {}

  /** A folder under src/test/resources. */
  public static Path resource(String relative) {
    try {
      return Path.of(Fixtures.class.getResource("/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + relative + " is missing", e);
    }
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

  /** A nested JSON list of numbers, flattened row-major to floats. */
  public static float[] floats(Object nested) {
    java.util.ArrayList<Float> out = new java.util.ArrayList<>();
    flatten(nested, out);
    float[] f = new float[out.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = out.get(i);
    }
    return f;
  }

  /** A nested JSON list of integers, flattened row-major to longs. */
  public static long[] longs(Object nested) {
    java.util.ArrayList<Long> out = new java.util.ArrayList<>();
    flattenLong(nested, out);
    long[] l = new long[out.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = out.get(i);
    }
    return l;
  }

  private static void flatten(Object o, List<Float> out) {
    if (o instanceof List<?> l) {
      for (Object e : l) {
        flatten(e, out);
      }
    } else {
      out.add(((Number) o).floatValue());
    }
  }

  private static void flattenLong(Object o, List<Long> out) {
    if (o instanceof List<?> l) {
      for (Object e : l) {
        flattenLong(e, out);
      }
    } else {
      out.add(((Number) o).longValue());
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
