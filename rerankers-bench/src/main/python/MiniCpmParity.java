import dev.rerankers.*;
import dev.rerankers.json.Json;
import java.nio.file.*;
import java.util.*;
/**
 * The Java half of the llm-minicpm-layerwise parity check (see minicpm_parity.py): ranks each case's documents
 * with the given spec and prints |Java - BAAI| per pair and the maxima. A source-launcher program, not built by
 * Maven: java -cp CLASSPATH MiniCpmParity.java SPEC PYTHON_OUT.json
 */
public class MiniCpmParity {
  public static void main(String[] a) throws Exception {
    Object parsed = Json.parse(Files.readString(Path.of(a[1])));
    List<?> cases = (List<?>) parsed;
    double maxd = 0, maxRank = 0;
    try (Reranker r = Reranker.load(a[0])) {
      for (Object o : cases) {
        Map<?, ?> c = (Map<?, ?>) o;
        List<String> docs = new ArrayList<>();
        for (Object d : (List<?>) c.get("docs")) docs.add((String) d);
        RankedResults rr = r.rank((String) c.get("query"), docs);
        Map<String, Double> by = new HashMap<>();
        for (Result x : rr.results()) by.put(x.document().text(), x.score());
        List<?> py = (List<?>) c.get("last_token");
        List<?> pyRank = (List<?>) c.get("rank_position_minus_1");
        for (int i = 0; i < docs.size(); i++) {
          double j = by.get(docs.get(i)), p = ((Number) py.get(i)).doubleValue(), q = ((Number) pyRank.get(i)).doubleValue();
          System.out.printf(Locale.ROOT, "%s doc %d: java %.6f  BAAI last token %.6f  |d| %.2e   rank() at -1 %.6f%n", c.get("set"), i, j, p, Math.abs(j - p), q);
          maxd = Math.max(maxd, Math.abs(j - p));
          maxRank = Math.max(maxRank, Math.abs(j - q));
        }
      }
    }
    System.out.printf(Locale.ROOT, "max |java - BAAI (last real token)| = %.3e ; max |java - rerankers rank() (position -1)| = %.3e%n", maxd, maxRank);
  }
}
