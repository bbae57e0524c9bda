package dev.rerankers.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.OptionsTable;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/adding-a-backend.md, tested as every backend is: parity with the
 * reference implementation's output on a committed fixture (make_fixture.py), within a stated
 * tolerance, printing the measured difference; options checked by core; the docs table in sync.
 */
class OverlapBackendTest {
  static final double TOLERANCE = 1e-12;

  @Test
  @SuppressWarnings("unchecked")
  void scores_match_the_reference_for_every_option_combination() {
    Map<String, Object> fixture = TestFiles.json(TestFiles.resource("backend/expected.json"));
    String query = (String) fixture.get("query");
    List<String> docs = (List<String>) fixture.get("documents");
    for (Map<String, Object> c : (List<Map<String, Object>>) fixture.get("cases")) {
      String spec = "example-overlap:any?caseSensitive=" + c.get("caseSensitive") + "&minWordLength=" + c.get("minWordLength");
      try (Reranker r = Reranker.load(spec)) {
        RankedResults results = r.rank(query, docs);
        double[] actual = results.results().stream()
            .sorted(Comparator.comparingInt(x -> ((Number) x.document().id()).intValue()))
            .mapToDouble(Result::score).toArray();
        double diff = TestFiles.maxAbsDiff(actual, TestFiles.doubles(c.get("scores")));
        System.out.printf("example-overlap %-45s max|Δ| = %.3g (tolerance %.0e)%n", spec, diff, TOLERANCE);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  @Test
  void several_queries_share_batches_and_score_as_one_at_a_time() {
    try (Reranker r = Reranker.load("example-overlap:any?batchSize=2")) {
      List<RankRequest> requests = List.of(
          RankRequest.ofTexts("red apple", List.of("a red apple", "green pear", "apple")),
          RankRequest.ofTexts("pear", List.of("green pear", "red apple")));
      List<RankedResults> together = r.rankAll(requests);
      for (int i = 0; i < requests.size(); i++) {
        RankedResults alone = r.rankDocuments(requests.get(i).query(), requests.get(i).documents());
        assertThat(together.get(i).results()).extracting(Result::score)
            .containsExactlyElementsOf(alone.results().stream().map(Result::score).toList());
      }
    }
  }

  @Test
  void core_checks_the_declared_options_before_the_backend_runs() {
    assertThatThrownBy(() -> Reranker.load("example-overlap:any?minWordLength=0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option minWordLength must be integer 1..100, got 0");
    assertThatThrownBy(() -> Reranker.load("example-overlap:any?caseSensitiv=true"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'caseSensitiv'");
  }

  @Test
  void the_docs_table_is_the_declarations() throws Exception {
    OptionsTable.assertDocumented(Path.of("../docs/adding-a-backend.md"), "example-overlap");
  }
}
