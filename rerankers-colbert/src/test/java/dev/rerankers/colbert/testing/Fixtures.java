package dev.rerankers.colbert.testing;

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

/** Test resources and JSON helpers. */
public final class Fixtures {
  private Fixtures() {}

  /** A file or folder under src/test/resources. */
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

  /** A JSON list of numbers as doubles. */
  public static double[] doubles(Object o) {
    List<?> l = (List<?>) o;
    double[] d = new double[l.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((Number) l.get(i)).doubleValue();
    }
    return d;
  }

  /** A JSON list of integers as longs. */
  public static long[] longs(Object o) {
    List<?> l = (List<?>) o;
    long[] d = new long[l.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((Number) l.get(i)).longValue();
    }
    return d;
  }

  /** The largest absolute difference. */
  public static double maxAbsDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Copies a resource folder (recursively) to a temporary folder the test may modify. */
  public static Path copy(String relative, Path target) {
    Path from = resource(relative);
    try (var files = Files.walk(from)) {
      List<Path> all = new ArrayList<>(files.toList());
      for (Path p : all) {
        Path to = target.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
