package dev.rerankers.flashrank;

import dev.rerankers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test fixtures of this module (src/test/resources, made by make_fixtures.py). */
public final class Fixtures {
  private Fixtures() {}

  /** A resource folder or file as a path. */
  public static Path path(String resource) {
    try {
      var url = Fixtures.class.getClassLoader().getResource(resource);
      if (url == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON resource as maps and lists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(String resource) {
    try {
      return (Map<String, Object>) Json.parse(Files.readString(path(resource), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A list of numbers as doubles. */
  public static double[] doubles(Object list) {
    List<?> l = (List<?>) list;
    double[] d = new double[l.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((Number) l.get(i)).doubleValue();
    }
    return d;
  }

  /** A list of lists of numbers as longs. */
  public static long[][] longs2(Object list) {
    List<?> l = (List<?>) list;
    long[][] out = new long[l.size()][];
    for (int i = 0; i < out.length; i++) {
      List<?> row = (List<?>) l.get(i);
      out[i] = new long[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = ((Number) row.get(j)).longValue();
      }
    }
    return out;
  }

  /** A list of strings. */
  @SuppressWarnings("unchecked")
  public static List<String> strings(Object list) {
    return (List<String>) list;
  }

  /** Copies a folder tree. */
  public static void copyTree(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
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

  /** Kendall's tau between two score lists (1: same order). */
  public static double kendallTau(double[] a, double[] b) {
    int conc = 0;
    int disc = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        double s = Math.signum(a[i] - a[j]) * Math.signum(b[i] - b[j]);
        if (s > 0) {
          conc++;
        } else if (s < 0) {
          disc++;
        }
      }
    }
    return conc + disc == 0 ? 1 : (double) (conc - disc) / (conc + disc);
  }
}
