package dev.rerankers.testing;

import dev.rerankers.json.Json;
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
 * Test resources and the JSON the fixture generators wrote, for every module's tests: a resource
 * folder by its path under src/test/resources, JSON files as maps, nested number lists flattened
 * row-major, and the largest absolute difference that parity tests report.
 */
public final class TestFiles {
  private TestFiles() {}

  /** A file or folder under the test resources of the running module. */
  public static Path resource(String relative) {
    try {
      return Path.of(TestFiles.class.getResource("/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + relative + " is missing", e);
    }
  }

  /** A JSON file as a map. */
  public static Map<String, Object> json(Path file) {
    try {
      return map(Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON value as a map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** A JSON list of objects. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(Object o) {
    return (List<Map<String, Object>>) o;
  }

  /** A JSON list of strings. */
  @SuppressWarnings("unchecked")
  public static List<String> strings(Object o) {
    return (List<String>) o;
  }

  /** A (nested) JSON list of numbers, flattened row-major, as doubles. */
  public static double[] doubles(Object nested) {
    List<Number> all = flatten(nested);
    double[] d = new double[all.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = all.get(i).doubleValue();
    }
    return d;
  }

  /** A (nested) JSON list of numbers, flattened row-major, as floats. */
  public static float[] floats(Object nested) {
    List<Number> all = flatten(nested);
    float[] f = new float[all.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = all.get(i).floatValue();
    }
    return f;
  }

  /** A (nested) JSON list of integers, flattened row-major, as longs. */
  public static long[] longs(Object nested) {
    List<Number> all = flatten(nested);
    long[] l = new long[all.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = all.get(i).longValue();
    }
    return l;
  }

  private static List<Number> flatten(Object nested) {
    List<Number> out = new ArrayList<>();
    flattenInto(nested, out);
    return out;
  }

  private static void flattenInto(Object o, List<Number> out) {
    if (o instanceof List<?> l) {
      for (Object e : l) {
        flattenInto(e, out);
      }
    } else {
      out.add((Number) o);
    }
  }

  /** The largest absolute difference; the arrays must have the same length. */
  public static double maxAbsDiff(double[] a, double[] b) {
    checkLengths(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** The largest absolute difference, computed in double; the arrays must have the same length. */
  public static double maxAbsDiff(float[] a, float[] b) {
    checkLengths(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  private static void checkLengths(int a, int b) {
    if (a != b) {
      throw new AssertionError("lengths differ: " + a + " vs " + b);
    }
  }

  /** Copies a resource folder (recursively) to {@code target}, a folder the test may modify. */
  public static Path copy(String relative, Path target) {
    copyTree(resource(relative), target);
    return target;
  }

  /** Copies a folder tree. */
  public static void copyTree(Path from, Path to) {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
