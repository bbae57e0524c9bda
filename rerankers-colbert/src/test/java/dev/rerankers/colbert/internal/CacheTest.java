package dev.rerankers.colbert.internal;

import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Document;
import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.spi.Scores;
import dev.rerankers.testing.TestFiles;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The document-vector cache: a second query over the same 100 documents encodes none, overlapping
 * sets encode only the new ones, scores from cached vectors equal freshly computed ones, a small
 * budget evicts without changing scores, and concurrent callers agree with a sequential run.
 */
class CacheTest {
  static final double SAME = 1e-5;

  static LateInteractionScorer load(String spec) {
    return LoadedScorer.of(spec);
  }

  /** 100 distinct SciFact texts: the fixture's documents, then their sentences. */
  static List<Document> hundredDocuments() {
    Set<String> texts = new LinkedHashSet<>();
    List<Map<String, Object>> cases = maps(TestFiles.json(TestFiles.resource("e2e/colbert/expected.json")).get("cases"));
    for (Map<String, Object> c : cases) {
      texts.addAll(strings(c.get("docs")));
    }
    for (Map<String, Object> c : cases) {
      for (String d : strings(c.get("docs"))) {
        for (String s : d.split("(?<=\\.) ")) {
          if (texts.size() < 100 && s.length() > 20) {
            texts.add(s);
          }
        }
      }
    }
    assertThat(texts).hasSize(100);
    List<Document> docs = new ArrayList<>();
    for (String t : texts) {
      docs.add(Document.of(docs.size(), t, null));
    }
    return docs;
  }

  static List<String> queries() {
    return maps(TestFiles.json(TestFiles.resource("e2e/colbert/expected.json")).get("cases")).stream()
        .map(c -> (String) c.get("query")).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"colbert:e2e/colbert", "pylate:e2e/pylate-modernbert"})
  void should_encode_no_document_twice_across_queries(String spec) {
    String[] p = spec.split(":", 2);
    String base = p[0] + ":" + TestFiles.resource(p[1]);
    List<Document> docs = hundredDocuments();
    List<String> q = queries();
    try (LateInteractionScorer cached = load(base); LateInteractionScorer cold = load(base + "?cacheMb=0")) {
      Scores first = cached.score(q.get(0), docs);
      assertThat(first.usage().get(LateInteractionScorer.ENCODED_DOCUMENTS)).isEqualTo(100);
      assertThat(first.usage().get(LateInteractionScorer.CACHED_DOCUMENTS)).isZero();
      Scores second = cached.score(q.get(1), docs);
      assertThat(second.usage().get(LateInteractionScorer.ENCODED_DOCUMENTS)).isZero();
      assertThat(second.usage().get(LateInteractionScorer.CACHED_DOCUMENTS)).isEqualTo(100);
      LateInteractionScorer.Stats stats = cached.stats();
      assertThat(stats.documentsEncoded()).isEqualTo(100);
      assertThat(stats.documentsFromCache()).isEqualTo(100);
      assertThat(stats.queriesEncoded()).isEqualTo(2);
      assertThat(stats.cache().entries()).isEqualTo(100);
      double diff = TestFiles.maxAbsDiff(second.values(), cold.score(q.get(1), docs).values());
      // overlapping candidates: half old, twenty new (in another order, with a duplicate)
      List<Document> overlap = new ArrayList<>(docs.subList(50, 100));
      for (int i = 0; i < 20; i++) {
        overlap.add(Document.of(100 + i, "new document number " + i + " about homocysteine", null));
      }
      overlap.add(Document.of(999, docs.get(60).text(), null));
      java.util.Collections.reverse(overlap);
      Scores third = cached.score(q.get(2), overlap);
      assertThat(third.usage().get(LateInteractionScorer.ENCODED_DOCUMENTS)).isEqualTo(20);
      assertThat(third.usage().get(LateInteractionScorer.CACHED_DOCUMENTS)).isEqualTo(50);
      diff = Math.max(diff, TestFiles.maxAbsDiff(third.values(), cold.score(q.get(2), overlap).values()));
      assertThat(cold.stats().cache().entries()).isZero();
      System.out.printf("cache %-7s: second query encoded %d of 100 documents; cached vs fresh scores max|Δ| = %.3g%n",
          p[0], second.usage().get(LateInteractionScorer.ENCODED_DOCUMENTS), diff);
      assertThat(diff).isLessThanOrEqualTo(SAME);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"colbert:e2e/colbert", "pylate:e2e/pylate-modernbert"})
  void should_encode_a_document_several_queries_share_once_per_call(String spec) {
    String[] p = spec.split(":", 2);
    List<Document> docs = hundredDocuments();
    List<String> q = queries();
    List<Document> a = docs.subList(0, 40);
    List<Document> b = docs.subList(40, 80);
    // no cache: whatever is shared comes from the call itself
    try (LateInteractionScorer cold = load(p[0] + ":" + TestFiles.resource(p[1]) + "?cacheMb=0&batchSize=16")) {
      List<Scores> all = cold.scoreAll(List.of(new QueryDocuments(q.get(0), a), new QueryDocuments(q.get(1), b),
          new QueryDocuments(q.get(2), a)));
      long[][] usage = new long[3][];
      for (int i = 0; i < 3; i++) {
        usage[i] = new long[] {all.get(i).usage().get(LateInteractionScorer.ENCODED_DOCUMENTS),
            all.get(i).usage().get(LateInteractionScorer.CACHED_DOCUMENTS),
            all.get(i).usage().get(LateInteractionScorer.ENCODED_QUERIES)};
      }
      assertThat(usage).isDeepEqualTo(new long[][] {{40, 0, 1}, {40, 0, 1}, {0, 40, 1}});
      assertThat(cold.stats().documentsEncoded()).isEqualTo(80);
      assertThat(cold.stats().queriesEncoded()).isEqualTo(3);
      double diff = 0;
      List<List<Document>> sets = List.of(a, b, a);
      for (int i = 0; i < 3; i++) {
        diff = Math.max(diff, TestFiles.maxAbsDiff(all.get(i).values(), cold.score(q.get(i), sets.get(i)).values()));
      }
      System.out.printf("scoreAll %-7s: 3 queries, 120 pairs, 80 documents encoded; vs one query at a time max|Δ| = %.3g%n",
          p[0], diff);
      assertThat(diff).isLessThanOrEqualTo(SAME);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1})
  void should_evict_under_a_small_budget_without_changing_scores(int cacheMb) {
    String base = "colbert:" + TestFiles.resource("e2e/colbert");
    List<Document> docs = hundredDocuments();
    List<String> q = queries();
    try (LateInteractionScorer small = load(base + "?cacheMb=" + cacheMb); LateInteractionScorer cold = load(base + "?cacheMb=0")) {
      small.score(q.get(0), docs);
      Scores again = small.score(q.get(1), docs);
      LateInteractionScorer.Stats stats = small.stats();
      assertThat(stats.cache().evictions()).isPositive();
      assertThat(stats.cache().bytes()).isLessThanOrEqualTo((long) cacheMb << 20);
      assertThat(again.usage().get(LateInteractionScorer.ENCODED_DOCUMENTS)).isPositive();
      assertThat(TestFiles.maxAbsDiff(again.values(), cold.score(q.get(1), docs).values())).isLessThanOrEqualTo(SAME);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"colbert:e2e/colbert"})
  void should_give_the_same_scores_from_8_threads_as_sequentially(String spec) throws Exception {
    String[] p = spec.split(":", 2);
    List<Document> docs = hundredDocuments();
    List<String> q = queries();
    List<List<Document>> sets = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      sets.add(docs.subList(s * 20, s * 20 + 40));
    }
    double[][] sequential = new double[q.size() * sets.size()][];
    try (LateInteractionScorer cold = load(p[0] + ":" + TestFiles.resource(p[1]) + "?cacheMb=0")) {
      for (int i = 0; i < sequential.length; i++) {
        sequential[i] = cold.score(q.get(i % q.size()), sets.get(i / q.size())).values();
      }
    }
    try (LateInteractionScorer shared = load(p[0] + ":" + TestFiles.resource(p[1]) + "?batchSize=8")) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Double>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            double worst = 0;
            for (int call = 0; call < 6; call++) {
              int i = (thread * 5 + call) % sequential.length;
              worst = Math.max(worst, TestFiles.maxAbsDiff(
                  shared.score(q.get(i % q.size()), sets.get(i / q.size())).values(), sequential[i]));
            }
            return worst;
          }));
        }
        for (Future<Double> f : futures) {
          assertThat(f.get()).isLessThanOrEqualTo(SAME);
        }
      } finally {
        pool.shutdown();
      }
      assertThat(shared.stats().cache().entries()).isEqualTo(100);
    }
  }
}
