package dev.rerankers.llmlayerwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code rankAll} puts the prompts of several queries through shared batches (the BatchedScorer
 * template): each query's scores must still be the model card's (Qwen3-Reranker fixture, 1e-4) and
 * what ranking that query alone gives (1e-5).
 */
class RankAllTest {

  @Test
  void should_score_several_queries_in_shared_batches_like_one_at_a_time() {
    Map<String, Object> expected = TestFiles.json(TestFiles.resource("llm/qwen3-reranker/expected.json"));
    Map<String, Object> variant = TestFiles.maps(expected.get("variants")).get(1);
    List<Map<String, Object>> cases = TestFiles.maps(variant.get("cases"));
    Reranker.Builder b = Reranker.builder(TestFiles.resource("llm/qwen3-reranker").toString()).type("qwen3-reranker")
        .option("batchSize", "3");
    TestFiles.map(variant.get("options")).forEach((k, v) -> b.option(k, (String) v));
    try (Reranker ranker = b.build()) {
      List<RankRequest> requests = new ArrayList<>();
      for (Map<String, Object> c : cases) {
        requests.add(RankRequest.ofTexts((String) c.get("query"), TestFiles.strings(c.get("docs"))));
      }
      List<RankedResults> all = ranker.rankAll(requests);
      assertThat(all).hasSize(cases.size());
      double vsReference = 0;
      double vsAlone = 0;
      for (int q = 0; q < cases.size(); q++) {
        double[] together = inInputOrder(all.get(q), requests.get(q).documents().size());
        double[] alone = inInputOrder(ranker.rankDocuments(requests.get(q).query(), requests.get(q).documents()),
            together.length);
        vsReference = Math.max(vsReference,
            TestFiles.maxAbsDiff(together, TestFiles.doubles(cases.get(q).get("scores_in_input_order"))));
        vsAlone = Math.max(vsAlone, TestFiles.maxAbsDiff(together, alone));
      }
      System.out.printf("rankAll qwen3-reranker, %d queries in shared batches of 3: max|Δ| vs reference = %.3g, "
          + "vs one query at a time = %.3g%n", cases.size(), vsReference, vsAlone);
      assertThat(vsReference).isLessThanOrEqualTo(1e-4);
      assertThat(vsAlone).isLessThanOrEqualTo(1e-5);
    }
  }

  static double[] inInputOrder(RankedResults r, int n) {
    double[] out = new double[n];
    r.forEach(res -> out[((Number) res.id()).intValue()] = res.score());
    return out;
  }
}
