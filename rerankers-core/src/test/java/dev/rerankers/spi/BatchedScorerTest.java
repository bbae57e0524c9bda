package dev.rerankers.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchedScorerTest {
  /** A pair is "query|text"; its length is the text's length; its score is query length * 1000 + text length. */
  static class LengthScorer extends BatchedScorer<String> {
    final List<List<String>> batches = new ArrayList<>();
    final AtomicInteger closed = new AtomicInteger();
    boolean fail;

    LengthScorer(int batchSize) {
      super(new RerankerInfo("test", "m", "test", null, null, null), batchSize);
    }

    @Override
    protected List<String> encode(String query, List<Document> documents) {
      return documents.stream().map(d -> query + "|" + d.text()).toList();
    }

    @Override
    protected int length(String pair) {
      return pair.length() - pair.indexOf('|') - 1;
    }

    @Override
    protected synchronized double[] scoreBatch(List<String> batch) {
      if (fail) {
        throw new IllegalStateException("native out of memory");
      }
      batches.add(batch);
      return batch.stream().mapToDouble(p -> p.indexOf('|') * 1000 + length(p)).toArray();
    }

    @Override
    public void close() {
      super.close();
      closed.incrementAndGet();
    }
  }

  private static List<Document> docs(String... texts) {
    List<Document> out = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      out.add(Document.of(texts[i]).withId(i));
    }
    return out;
  }

  @Test
  void saysItSharesBatchesAcrossQueries() {
    // what a server asks before coalescing concurrent requests into one scoreAll
    assertTrue(new LengthScorer(2).sharesBatchesAcrossQueries());
  }

  @Test
  void scoresComeBackInInputOrderPerQueryWhileBatchesMixQueries() {
    LengthScorer s = new LengthScorer(2);
    List<Scores> out = s.scoreAll(List.of(
        new QueryDocuments("q", docs("aa", "a", "aaaa")),
        new QueryDocuments("qqq", docs("aaa", "aaaaa"))));
    assertArrayEquals(new double[] {1002, 1001, 1004}, out.get(0).values());
    assertArrayEquals(new double[] {3003, 3005}, out.get(1).values());
    // longest first across both queries: [5,4] [3,2] [1]
    assertEquals(List.of(List.of("qqq|aaaaa", "q|aaaa"), List.of("qqq|aaa", "q|aa"), List.of("q|a")), s.batches);
    assertArrayEquals(new double[] {1002, 1001, 1004}, s.score("q", docs("aa", "a", "aaaa")).values());
  }

  @Test
  void aScorerMayBatchInInputOrderAndReportUsagePerQuery() {
    LengthScorer s = new LengthScorer(2) {
      @Override
      protected boolean sortsByLength() {
        return false;
      }

      @Override
      protected Usage usage(List<String> encoded) {
        return Usage.of(Usage.TOKENS, encoded.stream().mapToInt(this::length).sum());
      }
    };
    List<Scores> out = s.scoreAll(List.of(
        new QueryDocuments("q", docs("aa", "a", "aaaa")),
        new QueryDocuments("qqq", docs("aaa", "aaaaa"))));
    assertArrayEquals(new double[] {1002, 1001, 1004}, out.get(0).values());
    assertArrayEquals(new double[] {3003, 3005}, out.get(1).values());
    assertEquals(List.of(List.of("q|aa", "q|a"), List.of("q|aaaa", "qqq|aaa"), List.of("qqq|aaaaa")), s.batches);
    assertEquals(7, out.get(0).usage().get(Usage.TOKENS));
    assertEquals(8, out.get(1).usage().get(Usage.TOKENS));
  }

  @Test
  void engineFailuresAreWrappedOnceWithContext() {
    LengthScorer s = new LengthScorer(8);
    s.fail = true;
    InferenceException e = assertThrows(InferenceException.class, () -> s.score("q", docs("abc", "a")));
    assertEquals("test:m failed on a batch of 2 inputs of up to 3 tokens: native out of memory", e.getMessage());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void closedScorerRefusesCalls() {
    LengthScorer s = new LengthScorer(8);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.score("q", docs("a")));
    assertEquals(2, s.closed.get());
  }

  /**
   * Shares one pair object per distinct text across the queries of a call (encodeAll), and reports
   * per query how many texts it was first to bring (usage).
   */
  static final class SharingScorer extends BatchedScorer<int[]> {
    final List<Integer> batchSizes = new ArrayList<>();

    SharingScorer() {
      super(new RerankerInfo("test", "m", "test", null, null, null), 8);
    }

    @Override
    protected List<int[]> encode(String query, List<Document> documents) {
      return encodeAll(List.of(new QueryDocuments(query, documents))).get(0);
    }

    @Override
    protected List<List<int[]>> encodeAll(List<QueryDocuments> queries) {
      Map<String, int[]> shared = new HashMap<>();
      List<List<int[]>> out = new ArrayList<>();
      for (int q = 0; q < queries.size(); q++) {
        List<int[]> pairs = new ArrayList<>();
        for (Document d : queries.get(q).documents()) {
          int owner = q;
          // {text length, first query that brought the text, this query}
          pairs.add(new int[] {d.text().length(), shared.computeIfAbsent(d.text(), t -> new int[] {owner})[0], q});
        }
        out.add(pairs);
      }
      return out;
    }

    @Override
    protected int length(int[] pair) {
      return pair[0];
    }

    @Override
    protected double[] scoreBatch(List<int[]> batch) {
      batchSizes.add(batch.size());
      return batch.stream().mapToDouble(p -> p[0]).toArray();
    }

    @Override
    protected Usage usage(List<int[]> pairs) {
      long first = pairs.stream().filter(p -> p[1] == p[2]).count();
      return new Usage(Map.of("new", first, "shared", pairs.size() - first));
    }
  }

  @Test
  void encodeAllAndUsageHooksSeeEveryQueryOfTheCall() {
    SharingScorer s = new SharingScorer();
    List<Scores> out = s.scoreAll(List.of(
        new QueryDocuments("q1", docs("aa", "b")),
        new QueryDocuments("q2", docs("b", "cccc", "aa"))));
    assertArrayEquals(new double[] {2, 1}, out.get(0).values());
    assertArrayEquals(new double[] {1, 4, 2}, out.get(1).values());
    assertEquals(Map.of("new", 2L, "shared", 0L), out.get(0).usage().units());
    assertEquals(Map.of("new", 1L, "shared", 2L), out.get(1).usage().units());
    assertEquals(List.of(5), s.batchSizes);
    assertEquals(Usage.NONE, new LengthScorer(2).score("q", docs("a")).usage());
  }
}
