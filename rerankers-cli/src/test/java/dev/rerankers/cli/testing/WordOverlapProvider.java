package dev.rerankers.cli.testing;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.Usage;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A TEST-ONLY provider so the command line can be exercised before the real backends land. It is
 * not a model: {@code word-overlap} scores a document by the fraction of the query's distinct
 * words it contains and reports one "tokens" unit per word seen, like a hosted API would;
 * {@code word-overlap-order} returns the same order without scores (like RankGPT); {@code
 * always-fails} throws on every call (for fallback and error paths).
 */
public final class WordOverlapProvider implements RerankerProvider {

  @Override
  public String name() {
    return "test-word-overlap";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("word-overlap", "word-overlap-order", "always-fails");
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return new OverlapScorer(spec.type(), spec.model());
  }

  static Set<String> words(String text) {
    return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
  }

  static double[] overlap(String query, List<Document> documents) {
    Set<String> q = words(query);
    q.remove("");
    double[] scores = new double[documents.size()];
    for (int i = 0; i < scores.length; i++) {
      Set<String> d = words(documents.get(i).text());
      long hits = q.stream().filter(d::contains).count();
      scores[i] = q.isEmpty() ? 0 : hits / (double) q.size();
    }
    return scores;
  }

  private static final class OverlapScorer implements Scorer {
    private final String type;
    private final String model;

    OverlapScorer(String type, String model) {
      this.type = type;
      this.model = model;
    }

    @Override
    public Scores score(String query, List<Document> documents) {
      switch (type) {
        case "always-fails":
          throw new InferenceException("always-fails: this test ranker fails on purpose");
        case "word-overlap-order": {
          double[] s = overlap(query, documents);
          Integer[] idx = new Integer[s.length];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
          }
          Arrays.sort(idx, (a, b) -> Double.compare(s[b], s[a]));
          return Scores.ranking(Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
        }
        default: {
          long tokens = words(query).size();
          for (Document d : documents) {
            tokens += d.text().split("\\s+").length;
          }
          return Scores.of(overlap(query, documents)).withUsage(new Usage(Map.of(Usage.TOKENS, tokens, Usage.REQUESTS, 1L)));
        }
      }
    }

    @Override
    public RerankerInfo info() {
      return new RerankerInfo(type, model, "test-word-overlap", null, null, Map.of());
    }

    @Override
    public void close() {}
  }
}
