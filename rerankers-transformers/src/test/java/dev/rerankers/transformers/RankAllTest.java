package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code rankAll} puts the pairs of several queries into shared batches (core's BatchedScorer);
 * each query must get the scores it gets alone, within float rounding (only padding and batch
 * shapes differ; 1e-4 for UPR's sums of -100 and more, as in T5RankerBehaviourTest). UPR
 * teacher-forces one query per forward pass, so its batches are regrouped by query.
 */
class RankAllTest {
  static final List<String> QUERIES = List.of(
      "vitamin B12 and homocysteine",
      "Does a deficiency of folate change blood levels of homocysteine in older adults?",
      "tnf");

  @ParameterizedTest
  @CsvSource({
      "cross-encoder:e2e/bert, ?batchSize=4, 1e-5",
      "t5:e2e/t5, ?batchSize=4&maxLength=64, 1e-5",
      "upr:e2e/t5, ?batchSize=5&maxLength=64, 1e-4"})
  void each_query_gets_its_own_scores_in_shared_batches(String typeAndFixture, String options, double tolerance) {
    int colon = typeAndFixture.indexOf(':');
    String spec = typeAndFixture.substring(0, colon + 1) + TestFiles.resource(typeAndFixture.substring(colon + 1)) + options;
    List<String> docs = T5RankerBehaviourTest.documents();
    try (Reranker ranker = Reranker.load(spec)) {
      List<RankedResults> all = ranker.rankAll(QUERIES.stream().map(q -> RankRequest.ofTexts(q, docs)).toList());
      assertThat(all).hasSameSizeAs(QUERIES);
      double max = 0;
      for (int q = 0; q < QUERIES.size(); q++) {
        double[] alone = byId(ranker.rank(QUERIES.get(q), docs), docs.size());
        double[] shared = byId(all.get(q), docs.size());
        assertThat(shared).as("query %d", q).containsExactly(alone, offset(tolerance));
        for (int i = 0; i < alone.length; i++) {
          max = Math.max(max, Math.abs(alone[i] - shared[i]));
        }
      }
      System.out.printf("%s rankAll of %d queries x %d documents: max |Δscore| vs one query at a time = %.2e (tolerance %.0e)%n",
          typeAndFixture, QUERIES.size(), docs.size(), max, tolerance);
    }
  }

  static double[] byId(RankedResults r, int n) {
    double[] out = new double[n];
    for (Result res : r) {
      out[((Number) res.id()).intValue()] = res.score();
    }
    return out;
  }
}
