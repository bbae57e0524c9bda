package dev.rerankers.flashrank;

import dev.rerankers.Catalog;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test fixtures of this module (src/test/resources, made by make_fixtures.py). */
public final class Fixtures {
  private Fixtures() {}

  /** A resource folder or file as a path. */
  public static Path path(String resource) {
    return TestFiles.resource(resource);
  }

  /** A JSON resource as maps and lists. */
  public static Map<String, Object> json(String resource) {
    return TestFiles.json(path(resource));
  }

  /** A resolved spec's options, parsed and checked as a load does it (before the provider's create). */
  public static OptionValues options(RerankerSpec spec) {
    return OptionValues.parse(Catalog.options(spec.type()), spec.options(), "type " + spec.type());
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
