package dev.rerankers.llmlayerwise.testing;

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

/** Test resources: folders, JSON, numbers. */
public final class TestData {
  private TestData() {}

  /** A path under src/test/resources. */
  public static Path resource(String relative) {
    try {
      return Path.of(TestData.class.getResource("/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + relative + " is missing", e);
    }
  }

  /** A JSON object file. */
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

  /** A JSON list of strings. */
  @SuppressWarnings("unchecked")
  public static List<String> strings(Object o) {
    return (List<String>) o;
  }

  /** A nested list of numbers, row-major, as doubles. */
  public static double[] doubles(Object nested) {
    List<Double> out = new ArrayList<>();
    flatten(nested, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A nested list of integers, row-major, as longs. */
  public static long[] longs(Object nested) {
    List<Double> out = new ArrayList<>();
    flatten(nested, out);
    return out.stream().mapToLong(Double::longValue).toArray();
  }

  private static void flatten(Object o, List<Double> out) {
    if (o instanceof List<?> l) {
      for (Object e : l) {
        flatten(e, out);
      }
    } else {
      out.add(((Number) o).doubleValue());
    }
  }

  /** The largest absolute difference. */
  public static double maxAbsDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
