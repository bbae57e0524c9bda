package dev.rerankers.spark.testing;

import dev.rerankers.ApiException;
import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * TEST-ONLY rankers for the error policy and retries; not models. {@code spark-overlap} scores a
 * document by the fraction of the query's distinct words it contains, refuses (like a model
 * without truncation) a text over {@link #MAX_CHARS} characters with an {@link
 * IllegalArgumentException} and fails with an {@link InferenceException} on a text containing
 * {@code POISON}. {@code spark-flaky} scores the same but throws a retriable {@link ApiException}
 * (an outage, not a row's fault) in the first attempt of every task, so Spark must retry the task.
 */
public final class TestRankers implements RerankerProvider {
  /** The longest text spark-overlap accepts. */
  public static final int MAX_CHARS = 2000;
  /** The most queries one scoreAll call received (cross-query batching). */
  public static final AtomicInteger MOST_QUERIES_PER_CALL = new AtomicInteger();
  /** Failures spark-flaky injected. */
  public static final AtomicInteger INJECTED = new AtomicInteger();

  @Override
  public String name() {
    return "test-spark";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("spark-overlap", "spark-flaky");
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return new OverlapScorer(spec.type(), spec.model());
  }

  /** The score spark-overlap gives. */
  public static double overlap(String query, String text) {
    Set<String> q = words(query);
    q.remove("");
    Set<String> d = words(text);
    long hits = q.stream().filter(d::contains).count();
    return q.isEmpty() ? 0 : hits / (double) q.size();
  }

  private static Set<String> words(String text) {
    return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
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
      if (type.equals("spark-flaky")) {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0) {
          INJECTED.incrementAndGet();
          throw new ApiException("spark-flaky", 503, true, "injected outage in task " + task.taskAttemptId());
        }
      }
      double[] s = new double[documents.size()];
      for (int i = 0; i < s.length; i++) {
        String t = documents.get(i).text();
        if (t.length() > MAX_CHARS) {
          throw new IllegalArgumentException("a document has " + t.length() + " characters, over this test model's "
              + MAX_CHARS + ", and it does not truncate");
        }
        if (t.contains("POISON")) {
          throw new InferenceException("the test model cannot score a poisoned text");
        }
        s[i] = overlap(query, t);
      }
      return Scores.of(s);
    }

    @Override
    public List<Scores> scoreAll(List<QueryDocuments> queries) {
      MOST_QUERIES_PER_CALL.accumulateAndGet(queries.size(), Math::max);
      List<Scores> out = new ArrayList<>();
      for (QueryDocuments q : queries) {
        out.add(score(q.query(), q.documents()));
      }
      return out;
    }

    @Override
    public RerankerInfo info() {
      return new RerankerInfo(type, model, "test-spark", null, null, Map.of());
    }

    @Override
    public void close() {}
  }
}
