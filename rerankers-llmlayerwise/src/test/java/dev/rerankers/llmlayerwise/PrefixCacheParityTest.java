package dev.rerankers.llmlayerwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared-prefix cache changes no score: every (non-slow) variant of the golden LLM fixtures
 * (bge-reranker-v2-gemma, BAAI's Gemma2 lightweight with cutoffs and token compression, MiniCPM
 * layerwise with dynamic rotary scaling, Qwen3-Reranker) and the mxbai v2 golden-e2e checkpoint,
 * ranked through {@code Reranker.load} with {@code prefixCache=true} (the default) and {@code
 * false}: scores within 1e-5 of each other, and within the fixtures' 1e-4 of the references (as
 * {@link LlmFixtureParityTest} checks for the default, batches of 16: one per query). Batches of 3
 * here, so several batches per query each find and cache their prefix.
 */
class PrefixCacheParityTest {
  static final double TOLERANCE = 1e-5;

  @ParameterizedTest
  @ValueSource(strings = {"llm/bge-reranker-v2-gemma", "llm/bge-reranker-v2.5-gemma2-lightweight",
      "llm/bge-reranker-v2-minicpm-layerwise", "llm/qwen3-reranker", "e2e/mxbaiv2"})
  void should_score_alike_with_and_without_the_prefix_cache(String fixture) {
    Path dir = TestFiles.resource(fixture);
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    String type = fixture.contains("qwen3") ? "qwen3-reranker" : fixture.contains("mxbai") ? "mxbaiv2" : "llm-layerwise";
    List<Map<String, Object>> variants = new ArrayList<>();
    if (expected.containsKey("variants")) {
      for (Map<String, Object> v : TestFiles.maps(expected.get("variants"))) {
        if (!Boolean.TRUE.equals(v.get("slow"))) {
          variants.add(v);
        }
      }
    } else {
      variants.add(Map.of("options", Map.of(), "cases", expected.get("cases")));
    }
    for (Map<String, Object> v : variants) {
      for (String batch : List.of("3")) {
        Map<String, Object> options = new LinkedHashMap<>(TestFiles.map(v.get("options")));
        options.put("batchSize", batch);
        double[] d = compare(type, dir, options, TestFiles.maps(v.get("cases")));
        System.out.printf("prefix cache %-42s %-70s max|cached - uncached| = %.3g, max|cached - reference| = %.3g%n",
            fixture, options, d[0], d[1]);
        assertThat(d[0]).as("cached vs uncached, %s", options).isLessThanOrEqualTo(TOLERANCE);
        assertThat(d[1]).as("cached vs reference, %s", options).isLessThanOrEqualTo(LlmFixtureParityTest.TOLERANCE);
      }
    }
  }

  /** {max |cached − uncached|, max |cached − reference|} over the cases. */
  static double[] compare(String type, Path dir, Map<String, Object> options, List<Map<String, Object>> cases) {
    double toUncached = 0;
    double toReference = 0;
    try (Reranker cached = build(type, dir, options, true); Reranker whole = build(type, dir, options, false)) {
      assertThat(cached.info().details()).containsEntry("prefixCache", "true");
      assertThat(whole.info().details()).containsEntry("prefixCache", "false");
      for (Map<String, Object> c : cases) {
        String query = (String) c.get("query");
        List<String> docs = TestFiles.strings(c.get("docs"));
        double[] a = scores(cached, query, docs);
        double[] b = scores(whole, query, docs);
        toUncached = Math.max(toUncached, TestFiles.maxAbsDiff(a, b));
        toReference = Math.max(toReference, TestFiles.maxAbsDiff(a, TestFiles.doubles(c.get("scores_in_input_order"))));
      }
    }
    return new double[] {toUncached, toReference};
  }

  static Reranker build(String type, Path dir, Map<String, Object> options, boolean prefixCache) {
    Reranker.Builder b = Reranker.builder(dir.toString()).type(type);
    options.forEach((k, v) -> b.option(k, (String) v));
    return b.option("prefixCache", Boolean.toString(prefixCache)).build();
  }

  static double[] scores(Reranker r, String query, List<String> docs) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      ids.add(Integer.toString(i));
    }
    double[] out = new double[docs.size()];
    r.rank(query, docs, ids, null).forEach(res -> out[Integer.parseInt((String) res.id())] = res.score());
    return out;
  }
}
