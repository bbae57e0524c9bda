package dev.rerankers.server.testing;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST-ONLY rankers with a known score and a controllable speed, to observe batching, queues,
 * deadlines and shutdown. Score = number of distinct query words found in the document + 1/(1 +
 * document length) (so ties break by length, deterministically). {@code test-batched} is a {@link
 * BatchedScorer} (requests coalesce) that sleeps {@code delayMs} per scoring call and records how
 * many queries each call held; {@code test-plain} is a plain {@link Scorer} (requests run side by
 * side).
 */
public final class SlowProvider implements RerankerProvider {
  /** Queries per scoring call of every test-batched ranker, in call order. */
  public static final List<Integer> CALLS = new CopyOnWriteArrayList<>();

  static final Option<Integer> DELAY = Option.integer("delayMs", "sleep per scoring call").defaultValue(0);

  @Override
  public String name() {
    return "test-slow";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("test-batched", "test-plain");
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return List.of(DELAY);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    int delay = options.get(DELAY);
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "test", "cpu", "fp32", null);
    if (spec.type().equals("test-plain")) {
      return new Scorer() {
        @Override
        public Scores score(String query, List<Document> documents) {
          sleep(delay);
          return Scores.of(scores(query, documents));
        }

        @Override
        public RerankerInfo info() {
          return info;
        }

        @Override
        public void close() {}
      };
    }
    return new BatchedScorer<double[]>(info, 100_000) {
      @Override
      protected List<List<double[]>> encodeAll(List<QueryDocuments> queries) {
        CALLS.add(queries.size());
        sleep(delay);
        return super.encodeAll(queries);
      }

      @Override
      protected List<double[]> encode(String query, List<Document> documents) {
        List<double[]> out = new ArrayList<>();
        for (double s : scores(query, documents)) {
          out.add(new double[] {s});
        }
        return out;
      }

      @Override
      protected int length(double[] encoded) {
        return 1;
      }

      @Override
      protected double[] scoreBatch(List<double[]> batch) {
        double[] s = new double[batch.size()];
        for (int i = 0; i < s.length; i++) {
          s[i] = batch.get(i)[0];
        }
        return s;
      }
    };
  }

  /** The score every test-* ranker gives. */
  public static double[] scores(String query, List<Document> documents) {
    Set<String> q = new HashSet<>(Arrays.asList(query.toLowerCase(Locale.ROOT).split("\\W+")));
    q.remove("");
    double[] s = new double[documents.size()];
    for (int i = 0; i < s.length; i++) {
      String text = documents.get(i).text();
      Set<String> d = new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\W+")));
      s[i] = q.stream().filter(d::contains).count() + 1.0 / (1 + text.length());
    }
    return s;
  }

  static void sleep(int ms) {
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
