package dev.rerankers.colbert;

import static dev.rerankers.testing.TestFiles.doubles;
import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * End-to-end parity with PyLate's own code (models.ColBERT.encode + rank.rerank, run from its
 * source by src/test/python/make_fixtures.py): a sentence-transformers-layout ModernBERT model and a
 * Stanford HF_ColBERT folder read by PyLate. Scores are PyLate's rerank scores divided by the
 * number of query vectors (rerankers' PyLateRanker); tolerance 1e-4 absolute, same ranking, and
 * score × query vectors = PyLate's raw rerank score.
 */
class PylateE2eTest {
  static final double TOLERANCE = 1e-4;

  static Stream<Arguments> modelsAndRuntimes() {
    return Stream.of("pylate-modernbert", "pylate-stanford")
        .flatMap(m -> Stream.of(Arguments.of(m, "torch"), Arguments.of(m, "onnx")));
  }

  @ParameterizedTest(name = "{0} runtime={1}")
  @MethodSource("modelsAndRuntimes")
  void should_match_pylate_scores(String name, String runtime) {
    Path folder = TestFiles.resource("e2e/" + name);
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    List<Map<String, Object>> cases = maps(expected.get("cases"));
    double max = 0;
    double maxRaw = 0;
    try (Reranker ranker = Reranker.load("pylate:" + folder + "?runtime=" + runtime)) {
      assertThat(ranker.info().details()).containsEntry("runtime", runtime);
      for (Map<String, Object> c : cases) {
        List<String> docs = strings(c.get("docs"));
        List<String> ids = strings(c.get("doc_ids"));
        RankedResults r = ranker.rank((String) c.get("query"), docs, ids, null);
        double[] actual = new double[docs.size()];
        for (Result res : r) {
          actual[ids.indexOf((String) res.id())] = res.score();
        }
        int nq = ((Number) c.get("num_query_vectors")).intValue();
        double[] raw = new double[actual.length];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = actual[i] * nq;
        }
        max = Math.max(max, TestFiles.maxAbsDiff(actual, doubles(c.get("scores_in_input_order"))));
        maxRaw = Math.max(maxRaw, TestFiles.maxAbsDiff(raw, doubles(c.get("raw_rerank_scores_in_input_order"))));
        assertThat(r.stream().map(Result::id).toList()).as("ranking of query %s", c.get("query_id"))
            .isEqualTo(c.get("ranking"));
      }
      System.out.printf("e2e %-17s %-5s max|Δscore| = %.3g over %d queries (PyLate raw rerank scores %.3g; tolerance "
          + "%.0e)%n", name, runtime, max, cases.size(), maxRaw, TOLERANCE);
    }
    assertThat(max).isLessThanOrEqualTo(TOLERANCE);
  }
}
