package dev.rerankers.colbert;

import static dev.rerankers.testing.TestFiles.doubles;
import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edge cases against Python rerankers' ColBERTRanker itself (edge/colbert-edge.json): one-token,
 * empty, blank and accent-only documents; queries of 1..40 words (the dynamic [MASK] length, no
 * cut at 32); documents at the truncation boundary, whose input depends on the other candidates.
 * All sets run on one ranker, so the cache must never serve vectors truncated for another set.
 * Tolerance 1e-4 absolute.
 */
class ColbertEdgeCaseTest {
  static final double TOLERANCE = 1e-4;

  static double[] scores(Reranker ranker, String query, List<String> docs) {
    RankedResults r = ranker.rank(query, docs);
    double[] out = new double[docs.size()];
    for (Result res : r) {
      out[((Number) res.id()).intValue()] = res.score();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 0})
  void should_match_python_on_edge_cases(int cacheMb) {
    Map<String, Object> edge = TestFiles.json(TestFiles.resource("edge/colbert-edge.json"));
    double max = 0;
    List<String> worst = new ArrayList<>();
    try (Reranker ranker = Reranker.load("colbert:" + TestFiles.resource("e2e/colbert") + "?cacheMb=" + cacheMb)) {
      for (Map<String, Object> set : maps(edge.get("sets"))) {
        if (cacheMb == 0 && ((String) set.get("name")).startsWith("query-")) {
          continue; // the query sweep reuses four documents: run it once, with the cache
        }
        double d = TestFiles.maxAbsDiff(scores(ranker, (String) set.get("query"), strings(set.get("docs"))),
            doubles(set.get("scores_in_input_order")));
        if (d > max) {
          max = d;
          worst.add((String) set.get("name"));
        }
      }
    }
    System.out.printf("edge cases (cacheMb=%d): max|Δscore| = %.3g (tolerance %.0e)%n", cacheMb, max, TOLERANCE);
    assertThat(max).as("worst sets %s", worst).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void should_truncate_a_boundary_document_by_its_candidate_set() {
    Map<String, Object> edge = TestFiles.json(TestFiles.resource("edge/colbert-edge.json"));
    Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
    maps(edge.get("sets")).forEach(s -> byName.put((String) s.get("name"), s));
    double alone = doubles(byName.get("boundary-64-alone").get("scores_in_input_order"))[0];
    double withLonger = doubles(byName.get("boundary-64-with-100").get("scores_in_input_order"))[0];
    assertThat(Math.abs(alone - withLonger)).as("Python scores the same text differently by set").isGreaterThan(1e-3);
    String query = (String) byName.get("boundary-64-alone").get("query");
    List<String> pair = strings(byName.get("boundary-64-with-100").get("docs"));
    try (Reranker ranker = Reranker.load("colbert:" + TestFiles.resource("e2e/colbert"))) {
      assertThat(ranker.score(query, pair.get(0))).isCloseTo(alone, Offset.offset(TOLERANCE));
      RankedResults r = ranker.rank(query, pair); // the cached (truncated) vectors must not be reused
      assertThat(r.usage().get("encoded_documents")).isEqualTo(2);
      assertThat(scores(ranker, query, pair)[0]).isCloseTo(withLonger, Offset.offset(TOLERANCE));
      assertThat(ranker.score(query, pair.get(0))).isCloseTo(alone, Offset.offset(TOLERANCE));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"colbert:e2e/colbert", "pylate:e2e/pylate-modernbert", "pylate:e2e/pylate-stanford"})
  void should_score_documents_truncated_to_nothing_like_an_empty_document(String spec) {
    String[] parts = spec.split(":", 2);
    List<String> docs = new ArrayList<>(strings(maps(TestFiles.json(TestFiles.resource("e2e/colbert/expected.json"))
        .get("cases")).get(0).get("docs")));
    docs.add("");
    // maxLength=3: [CLS] marker [SEP] is all that is left of any document
    try (Reranker ranker = Reranker.load(parts[0] + ":" + TestFiles.resource(parts[1]) + "?maxLength=3")) {
      double[] s = scores(ranker, "vitamin B12 and homocysteine", docs);
      for (double v : s) {
        assertThat(v).isCloseTo(s[s.length - 1], Offset.offset(1e-6));
      }
    }
  }
}
