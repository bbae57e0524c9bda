package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end parity with the Python rerankers library through {@code Reranker.load}: its T5Ranker
 * on ../shared/golden-e2e's t5 (T5 v1.0, tokens chosen by the 'auto' fallback) and t5-gated (v1.1
 * layout, explicit ▁no/▁yes), each with its return_logits variant; T5Ranker with a custom template,
 * token kwargs and batch_size=3 (e2e/t5-options); UPRRanker on both checkpoints, with batch_size=3
 * and a custom verbalizer (e2e/upr). The last two were made by src/test/python/make_t5_fixtures.py.
 * Tolerance: 1e-4 absolute on P(true) and logits; UPR scores, sums of one log-probability per query
 * token, get 1e-4 per query token. Rankings must match exactly. The option and UPR checks run on the
 * first query by default and on all four with -Pslow.
 */
class T5E2eTest {
  static final double TOLERANCE = 1e-4;

  static Path folder(String name) {
    return TestFiles.resource("e2e/" + name);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object o) {
    return (List<String>) o;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** Ranks every case, checks the rankings, returns the max |Δscore| against Python's scores. */
  static double checkCases(Reranker ranker, List<Map<String, Object>> expected, List<Map<String, Object>> inputs) {
    return Arrays.stream(caseDiffs(ranker, expected, inputs)).max().orElse(0);
  }

  /** Ranks every case, checks the rankings, returns each case's max |Δscore| against Python's scores. */
  static double[] caseDiffs(Reranker ranker, List<Map<String, Object>> expected, List<Map<String, Object>> inputs) {
    double[] diffs = new double[inputs.size()];
    for (int c = 0; c < inputs.size(); c++) {
      Map<String, Object> in = inputs.get(c);
      Map<String, Object> py = expected.get(c);
      assertThat(py.get("query_id")).isEqualTo(in.get("query_id"));
      List<String> docs = strings(in.get("docs"));
      List<String> ids = strings(in.get("doc_ids"));
      RankedResults r = ranker.rank((String) in.get("query"), docs, ids, null);
      float[] actual = new float[docs.size()];
      List<Object> ranking = new ArrayList<>();
      for (Result res : r) {
        actual[ids.indexOf((String) res.id())] = res.score().floatValue();
        ranking.add(res.id());
      }
      diffs[c] = TestFiles.maxAbsDiff(actual, TestFiles.floats(py.get("scores_in_input_order")));
      assertThat(ranking).as("ranking of query %s", in.get("query_id")).isEqualTo(py.get("ranking"));
    }
    return diffs;
  }

  /** Python kwargs → this backend's options. */
  static Reranker load(String type, String folder, Map<String, Object> pythonKwargs) {
    Map<String, String> names = Map.of("inputs_template", "inputsTemplate", "token_false", "tokenFalse",
        "token_true", "tokenTrue", "return_logits", "returnLogits", "batch_size", "batchSize",
        "verbalizer_head", "verbalizerHead", "verbalizer", "verbalizer");
    Reranker.Builder b = Reranker.builder(folder(folder).toString()).type(type);
    for (Map.Entry<String, Object> e : pythonKwargs.entrySet()) {
      if (names.containsKey(e.getKey())) {
        b.option(names.get(e.getKey()), String.valueOf(e.getValue()));
      }
    }
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"t5", "t5-gated"})
  void should_match_python_t5_ranker_scores_and_logits(String name) {
    Map<String, Object> expected = TestFiles.json(folder(name).resolve("expected.json"));
    List<Map<String, Object>> cases = list(expected.get("cases"));
    Map<String, Object> kwargs = map(expected.get("rerankers_kwargs"));
    Map<String, Object> t5 = map(expected.get("t5"));
    try (Reranker ranker = load("t5", name, kwargs)) {
      double diff = checkCases(ranker, cases, cases);
      System.out.printf("e2e %-9s P(true) max|Δscore| = %.3g over %d queries (tolerance %.0e)%n", name, diff, cases.size(),
          TOLERANCE);
      assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
      Map<String, String> details = ranker.info().details();
      assertThat(details.get("tokenFalse")).isEqualTo(t5.get("token_false") + " (" + t5.get("token_false_id") + ")");
      assertThat(details.get("tokenTrue")).isEqualTo(t5.get("token_true") + " (" + t5.get("token_true_id") + ")");
      assertThat(details).containsEntry("maxLength", "512").containsEntry("batchSize", "32");
      // single document: Python's rank() and score() agree here
      Map<String, Object> one = map(map(expected.get("single_doc")).get("rank_one_doc"));
      Map<String, Object> first = cases.get(0);
      double s = ranker.score((String) first.get("query"), strings(first.get("docs")).get(0));
      assertThat(s).isCloseTo(((Number) one.get("score")).doubleValue(), Offset.offset(TOLERANCE));
      assertThat(ranker.rank("anything", List.of()).size()).isZero();
    }
    for (Map<String, Object> variant : list(expected.get("variants"))) {
      Map<String, Object> vk = map(variant.get("rerankers_kwargs"));
      assertThat(vk).containsEntry("return_logits", true);
      try (Reranker ranker = load("t5", name, vk)) {
        double diff = checkCases(ranker, list(variant.get("cases")), cases);
        System.out.printf("e2e %-9s return_logits max|Δlogit| = %.3g (tolerance %.0e)%n", name, diff, TOLERANCE);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ranker.info().details()).containsEntry("score", "logit(true)");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"t5", "t5-gated"})
  void should_tokenize_the_t5_input_text_as_python(String name) {
    Map<String, Object> tok = map(TestFiles.json(folder(name).resolve("expected.json")).get("tokenization"));
    Map<String, Object> first = list(TestFiles.json(folder(name).resolve("expected.json")).get("cases")).get(0);
    List<Map<String, Object>> pairs = list(tok.get("pairs"));
    List<String> docs = strings(first.get("docs"));
    assertThat(pairs).hasSameSizeAs(docs);
    try (HfTokenizer tokenizer = HfTokenizer.builder(dev.rerankers.hub.ModelSource.local(folder(name))).maxLength(512).build()) {
      var template = dev.rerankers.transformers.internal.InputTemplate.parse(
          TransformersProvider.INPUTS_TEMPLATE.defaultValue().orElseThrow(), "inputsTemplate", java.util.Set.of("query", "text"));
      for (int i = 0; i < docs.size(); i++) {
        String text = template.format((String) first.get("query"), docs.get(i));
        assertThat(text).isEqualTo(pairs.get(i).get("input_text"));
        assertThat(tokenizer.encode(text).ids()).as("doc %d", i).containsExactly(TestFiles.longs(pairs.get(i).get("input_ids")));
      }
    }
  }

  @Test
  void should_honour_template_token_and_batch_options_as_python() {
    checkOptions(1);
  }

  @Test
  @Tag("slow")
  void should_honour_template_token_and_batch_options_as_python_on_every_query() {
    checkOptions(Integer.MAX_VALUE);
  }

  /** T5Ranker with a custom template, ▁no/▁yes, return_logits, batch_size=3, on the first queries. */
  static void checkOptions(int queries) {
    Map<String, Object> expected = TestFiles.json(folder("t5-options").resolve("expected.json"));
    List<Map<String, Object>> cases = first(list(expected.get("cases")), queries);
    for (Map<String, Object> run : list(expected.get("runs"))) {
      Map<String, Object> kwargs = map(run.get("kwargs"));
      try (Reranker ranker = load("t5", "t5", kwargs)) {
        double diff = checkCases(ranker, list(run.get("results")), cases);
        System.out.printf("e2e t5 %-70s max|Δscore| = %.3g over %d queries%n", kwargs, diff, cases.size());
        assertThat(diff).as("%s", kwargs).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ranker.info().details().get("tokenTrue")).endsWith("(" + run.get("token_true_id") + ")");
        assertThat(ranker.info().details().get("tokenFalse")).endsWith("(" + run.get("token_false_id") + ")");
      }
    }
  }

  static List<Map<String, Object>> first(List<Map<String, Object>> cases, int n) {
    return cases.subList(0, Math.min(n, cases.size()));
  }

  @Test
  void should_match_python_upr_scores() {
    checkUpr(1);
  }

  @Test
  @Tag("slow")
  void should_match_python_upr_scores_on_every_query() {
    checkUpr(Integer.MAX_VALUE);
  }

  /**
   * UPRRanker on both checkpoints, default / batch_size=3 / custom verbalizer. A UPR score sums one
   * log-probability per query token, each of magnitude ~10 here: the tolerance is {@value
   * #TOLERANCE} per query token (Python's own batch_size=16 and batch_size=3 runs differ by up to
   * 1.8e-4 on these sums).
   */
  static void checkUpr(int queries) {
    Map<String, Object> expected = TestFiles.json(folder("upr").resolve("expected.json"));
    List<Map<String, Object>> cases = first(list(expected.get("cases")), queries);
    int[] queryTokens = new int[cases.size()];
    try (HfTokenizer tokenizer = HfTokenizer.builder(dev.rerankers.hub.ModelSource.local(folder("t5"))).maxLength(128).build()) {
      for (int c = 0; c < cases.size(); c++) {
        queryTokens[c] = tokenizer.encode((String) cases.get(c).get("query")).length();
      }
    }
    int runs = 0;
    for (Map<String, Object> run : list(expected.get("runs"))) {
      Map<String, Object> kwargs = map(run.get("kwargs"));
      String model = (String) run.get("model");
      try (Reranker ranker = load("upr", model, kwargs)) {
        double[] diffs = caseDiffs(ranker, list(run.get("results")), cases);
        double perToken = 0;
        for (int c = 0; c < diffs.length; c++) {
          perToken = Math.max(perToken, diffs[c] / queryTokens[c]);
        }
        System.out.printf("e2e upr %-9s %-55s max|Δscore| = %.3g, per query token %.3g (tolerance %.0e per token)%n",
            model, kwargs, Arrays.stream(diffs).max().orElse(0), perToken, TOLERANCE);
        assertThat(perToken).as("%s %s", model, kwargs).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ranker.info().type()).isEqualTo("upr");
        runs++;
      }
    }
    assertThat(runs).isEqualTo(6);
  }

  @Test
  void should_give_mean_log_likelihood_as_the_sum_over_query_tokens() {
    Map<String, Object> first = list(TestFiles.json(folder("upr").resolve("expected.json")).get("cases")).get(0);
    String query = (String) first.get("query");
    List<String> docs = strings(first.get("docs")).subList(0, 3);
    int queryTokens;
    try (HfTokenizer tokenizer = HfTokenizer.builder(dev.rerankers.hub.ModelSource.local(folder("t5"))).maxLength(128).build()) {
      queryTokens = tokenizer.encode(query).length();
    }
    try (Reranker sum = Reranker.load("upr:" + folder("t5"));
        Reranker mean = Reranker.load("upr:" + folder("t5") + "?logLikelihood=mean")) {
      for (String d : docs) {
        assertThat(mean.score(query, d)).isCloseTo(sum.score(query, d) / queryTokens, Offset.offset(1e-5));
      }
    }
  }
}
