package dev.rerankers.colbert;

import static dev.rerankers.testing.TestFiles.doubles;
import static dev.rerankers.testing.TestFiles.map;
import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;

/**
 * End-to-end parity with Python rerankers' ColBERTRanker: the scores it returned for the
 * golden-e2e ColBERT checkpoints (copied, folder names kept, to src/test/resources/e2e), through
 * {@code Reranker.load("colbert:" + folder)}. Tolerance 1e-4 absolute; rankings must match.
 */
class ColbertE2eTest {
  static final double TOLERANCE = 1e-4;

  static Path folder(String name) {
    return TestFiles.resource("e2e/" + name);
  }

  /** Ranks every case; returns max |Δscore| against {@code key}'s scores. */
  static double checkCases(Reranker ranker, List<Map<String, Object>> cases) {
    double max = 0;
    for (Map<String, Object> c : cases) {
      List<String> docs = strings(c.get("docs"));
      List<String> ids = strings(c.get("doc_ids"));
      RankedResults r = ranker.rank((String) c.get("query"), docs, ids, null);
      double[] actual = new double[docs.size()];
      List<Object> ranking = new ArrayList<>();
      for (Result res : r) {
        actual[ids.indexOf((String) res.id())] = res.score();
        ranking.add(res.id());
      }
      max = Math.max(max, TestFiles.maxAbsDiff(actual, doubles(c.get("scores_in_input_order"))));
      assertThat(ranking).as("ranking of query %s", c.get("query_id")).isEqualTo(c.get("ranking"));
    }
    return max;
  }

  static Stream<Arguments> modelsAndRuntimes() {
    return Stream.of("colbert", "colbert-small").flatMap(m -> Stream.of(Arguments.of(m, "torch"), Arguments.of(m, "onnx")));
  }

  @ParameterizedTest(name = "{0} runtime={1}")
  @MethodSource("modelsAndRuntimes")
  void should_match_python_rerankers_scores(String name, String runtime) {
    Map<String, Object> expected = TestFiles.json(folder(name).resolve("expected.json"));
    List<Map<String, Object>> cases = maps(expected.get("cases"));
    int dim = ((Number) map(expected.get("colbert")).get("linear_dim")).intValue();
    try (Reranker ranker = Reranker.load("colbert:" + folder(name) + "?runtime=" + runtime)) {
      assertThat(ranker.info().details()).containsEntry("dim", String.valueOf(dim)).containsEntry("runtime", runtime);
      double diff = checkCases(ranker, cases);
      // each document ranked alone: another truncation length for some, with the cache warm
      double alone = 0;
      for (Map<String, Object> c : cases) {
        List<String> docs = strings(c.get("docs"));
        double[] expectedAlone = doubles(c.get("scores_each_doc_ranked_alone"));
        for (int i = 0; i < docs.size(); i++) {
          alone = Math.max(alone, Math.abs(ranker.score((String) c.get("query"), docs.get(i)) - expectedAlone[i]));
        }
      }
      System.out.printf("e2e %-13s %-5s dim %d: max|Δscore| = %.3g over %d queries; each document alone %.3g "
          + "(tolerance %.0e)%n", name, runtime, dim, diff, cases.size(), alone, TOLERANCE);
      assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(alone).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"torch", "onnx"})
  void should_rank_one_document_like_python_and_no_documents(String runtime) {
    Map<String, Object> expected = TestFiles.json(folder("colbert").resolve("expected.json"));
    Map<String, Object> one = map(map(expected.get("single_doc")).get("rank_one_doc"));
    Map<String, Object> first = maps(expected.get("cases")).get(0);
    try (Reranker ranker = Reranker.load("colbert:" + folder("colbert") + "?cacheMb=0&runtime=" + runtime)) {
      RankedResults r = ranker.rank((String) first.get("query"), List.of(strings(first.get("docs")).get(0)));
      assertThat(r.size()).isEqualTo(1);
      assertThat(r.get(0).rank()).isEqualTo(1);
      assertThat(r.get(0).score()).isCloseTo(((Number) one.get("score")).doubleValue(), Offset.offset(TOLERANCE));
      assertThat(ranker.rank("anything", List.of()).size()).isZero();
    }
  }
}
