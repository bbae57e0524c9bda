package dev.rerankers;

import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third-party provider registered through META-INF/services in the test resources, exactly as an
 * outside jar would register one. Types: {@code test-overlap} (score = number of query words in the
 * document), {@code test-order} (ranks only: reverse input order), {@code test-failing} (always
 * fails with an ApiException).
 */
public class TestProvider implements RerankerProvider {
  static final AtomicInteger CLOSED = new AtomicInteger();

  @Override
  public String name() {
    return "test";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("test-overlap", "test-order", "test-failing");
  }

  /** Added to every overlap score. */
  static final Option<Double> BONUS = Option.number("bonus", "added to every score").defaultValue(0.0);

  @Override
  public List<Option<?>> options(String modelType) {
    return List.of(BONUS);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    double bonus = options.get(BONUS);
    return new Scorer() {
      @Override
      public Scores score(String query, List<Document> documents) {
        switch (spec.type()) {
          case "test-failing":
            throw new ApiException("test", 503, true, "service unavailable");
          case "test-order":
            int[] order = new int[documents.size()];
            for (int i = 0; i < order.length; i++) {
              order[i] = order.length - 1 - i;
            }
            return Scores.ranking(order).withUsage(Usage.of(Usage.REQUESTS, 1));
          default:
            Set<String> words = new HashSet<>(Arrays.asList(query.toLowerCase(Locale.ROOT).split("\\W+")));
            double[] s = new double[documents.size()];
            for (int i = 0; i < s.length; i++) {
              for (String w : documents.get(i).text().toLowerCase(Locale.ROOT).split("\\W+")) {
                if (!w.isEmpty() && words.contains(w)) {
                  s[i] += 1;
                }
              }
              s[i] += bonus;
            }
            return Scores.of(s).withUsage(Usage.of(Usage.TOKENS, documents.size()));
        }
      }

      @Override
      public RerankerInfo info() {
        return new RerankerInfo(spec.type(), spec.model(), "test", null, null, null);
      }

      @Override
      public void close() {
        CLOSED.incrementAndGet();
      }
    };
  }
}
