package dev.rerankers.llmlayerwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scores through {@code Reranker.load} against the references of {@code
 * src/test/resources/llm/make_fixtures.py} (tiny random checkpoints, SciFact queries and
 * documents): FlagEmbedding's FlagLLMReranker scoring of a Gemma model, BAAI's layerwise
 * CostWiseGemma (cutoff heads, token compression) and LayerWiseMiniCPM models re-implemented from
 * their published source, and Qwen3-Reranker's model-card code. Tolerance 1e-4 absolute, fp32;
 * rankings must match wherever the reference's scores are more than 1e-3 apart.
 */
class LlmFixtureParityTest {
  static final double TOLERANCE = 1e-4;

  static Path dir(String name) {
    return TestFiles.resource("llm/" + name);
  }

  /** Loads a ranker with the variant's options and returns the max |Δscore| over its cases. */
  static double check(String type, Path folder, Map<String, Object> options, List<Map<String, Object>> cases) {
    Reranker.Builder b = Reranker.builder(folder.toString()).type(type);
    options.forEach((k, v) -> b.option(k, (String) v));
    double max = 0;
    try (Reranker ranker = b.build()) {
      for (Map<String, Object> c : cases) {
        List<String> docs = TestFiles.strings(c.get("docs"));
        List<String> ids = TestFiles.strings(c.get("doc_ids"));
        RankedResults r = ranker.rank((String) c.get("query"), docs, ids, null);
        double[] actual = new double[docs.size()];
        List<Object> ranking = new ArrayList<>();
        for (Result res : r) {
          actual[ids.indexOf((String) res.id())] = res.score();
          ranking.add(res.id());
        }
        double[] expected = TestFiles.doubles(c.get("scores_in_input_order"));
        max = Math.max(max, TestFiles.maxAbsDiff(actual, expected));
        if (((Number) c.get("min_gap")).doubleValue() > 1e-3) {
          assertThat(ranking).as("ranking of query %s", c.get("query_id")).isEqualTo(expectedRanking(ids, expected));
        }
      }
    }
    return max;
  }

  static List<Object> expectedRanking(List<String> ids, double[] scores) {
    List<Object> order = new ArrayList<>(ids);
    order.sort((a, b) -> Double.compare(scores[ids.indexOf((String) b)], scores[ids.indexOf((String) a)]));
    return order;
  }

  @Test
  void should_score_bge_reranker_v2_gemma_by_the_yes_logit() {
    Map<String, Object> expected = TestFiles.json(dir("bge-reranker-v2-gemma").resolve("expected.json"));
    double d = check("llm-layerwise", dir("bge-reranker-v2-gemma"), Map.of(), TestFiles.maps(expected.get("cases")));
    System.out.printf("llm bge-reranker-v2-gemma max|Δscore| = %.3g (tolerance %.0e)%n", d, TOLERANCE);
    assertThat(d).isLessThanOrEqualTo(TOLERANCE);
  }

  /** Checks every variant of a fixture whose {@code slow} flag equals {@code slow}. */
  static void checkVariants(String type, String name, boolean slow) {
    Path folder = dir(name);
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    int checked = 0;
    for (Map<String, Object> v : TestFiles.maps(expected.get("variants"))) {
      if (Boolean.TRUE.equals(v.get("slow")) != slow) {
        continue;
      }
      double d = check(type, folder, TestFiles.map(v.get("options")), TestFiles.maps(v.get("cases")));
      System.out.printf("llm %-36s %-62s max|Δscore| = %.3g (tolerance %.0e)%n", name, v.get("options"), d, TOLERANCE);
      assertThat(d).as("variant %s", v.get("options")).isLessThanOrEqualTo(TOLERANCE);
      checked++;
    }
    assertThat(checked).as("variants checked").isPositive();
  }

  @Test
  void should_match_baai_lightweight_gemma2_with_cutoffs_and_compression() {
    checkVariants("llm-layerwise", "bge-reranker-v2.5-gemma2-lightweight", false);
  }

  @Test
  void should_match_baai_minicpm_layerwise() {
    checkVariants("llm-layerwise", "bge-reranker-v2-minicpm-layerwise", false);
  }

  @Test
  void should_match_the_qwen3_reranker_model_card() {
    checkVariants("qwen3-reranker", "qwen3-reranker", false);
  }

  /** The default 512-token (BGE) and 8192-token (Qwen3) budgets on long SciFact documents. */
  @Test
  @Tag("slow")
  void should_match_references_at_the_default_lengths() {
    checkVariants("llm-layerwise", "bge-reranker-v2.5-gemma2-lightweight", true);
    checkVariants("llm-layerwise", "bge-reranker-v2-minicpm-layerwise", true);
    checkVariants("qwen3-reranker", "qwen3-reranker", true);
  }

  @Test
  void should_give_the_same_scores_when_running_past_the_cutoff() {
    Path folder = dir("bge-reranker-v2.5-gemma2-lightweight");
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    Map<String, Object> shortDefaults = TestFiles.maps(expected.get("variants")).get(1);
    assertThat(TestFiles.map(shortDefaults.get("options"))).isEqualTo(Map.of("maxLength", "96"));
    double d = check("llm-layerwise", folder, Map.of("maxLength", "96", "stopAtCutoff", "false"),
        TestFiles.maps(shortDefaults.get("cases")));
    System.out.printf("llm gemma2-lightweight stopAtCutoff=false max|Δscore| = %.3g%n", d);
    assertThat(d).isLessThanOrEqualTo(TOLERANCE);
    try (Reranker stop = Reranker.builder(folder.toString()).type("llm-layerwise").build();
        Reranker all = Reranker.builder(folder.toString()).type("llm-layerwise").option("stopAtCutoff", "false").build()) {
      assertThat(stop.info().details()).containsEntry("cutoffLayers", "[28]").containsEntry("compressRatio", "2")
          .containsEntry("compressLayers", "[24, 40]").containsEntry("stopAtCutoff", "true");
      assertThat(all.info().details()).containsEntry("stopAtCutoff", "false");
    }
  }
}
