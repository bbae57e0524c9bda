package dev.rerankers.flashrank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Type onnx-cross-encoder end to end on the ../shared/golden-e2e cross-encoders (real SciFact
 * tokenizers, random weights) exported to ONNX: scores equal the Python rerankers library's own
 * (transformers, float32) within 1e-4 for 31 (query, document) pairs, including documents far over
 * the 512-token truncation, non-ASCII text and a two-logit monoBERT head.
 */
class OnnxCrossEncoderTest {
  static final double TOLERANCE = 1e-4;
  static final double INT8_TOLERANCE = 0.1; // logit[1]-logit[0] of monoBERT doubles the ~0.03 per-logit int8 error

  @ParameterizedTest
  @ValueSource(strings = {"bert", "monobert", "xlm-roberta"})
  void scores_equal_python_rerankers(String caseName) {
    Path dir = Fixtures.path("e2e/" + caseName);
    Map<String, Object> fixture = Fixtures.json("e2e/" + caseName + "/scores.json");
    double worst = 0;
    double worstInt8VsPythonOrt = 0;
    double minTau = 1;
    try (Reranker fp32 = Reranker.builder(dir.toString()).type("onnx-cross-encoder").build();
        // one batch per query in input order, as Python scored it: dynamic int8 quantization scales
        // activations per batch tensor, so int8 scores depend on the batch-mates
        Reranker int8 = Reranker.builder(dir.toString()).type("onnx-cross-encoder")
            .option("file", "onnx/model_quantized.onnx").batchSize(1000).option("sortByLength", "false").build()) {
      assertThat(fp32.info().backend()).isEqualTo("flashrank");
      assertThat(fp32.info().dtype()).isEqualTo("fp32");
      assertThat(int8.info().dtype()).isEqualTo("int8");
      for (Object o : (List<?>) fixture.get("cases")) {
        Map<?, ?> c = (Map<?, ?>) o;
        String query = (String) c.get("query");
        List<String> docs = TestFiles.strings(c.get("docs"));
        double[] expected = TestFiles.doubles(c.get("python_rerankers_scores"));
        double[] got = inputOrder(fp32.rank(query, docs), docs.size());
        worst = Math.max(worst, TestFiles.maxAbsDiff(got, expected));
        assertThat(Fixtures.kendallTau(got, expected)).as("fp32 ranking of %s", query).isEqualTo(1.0);

        double[] q = inputOrder(int8.rank(query, docs), docs.size());
        double[] pyOrtInt8 = logitScores((List<?>) c.get("quantized_onnx_logits"));
        worstInt8VsPythonOrt = Math.max(worstInt8VsPythonOrt, TestFiles.maxAbsDiff(q, pyOrtInt8));
        assertThat(TestFiles.maxAbsDiff(q, expected)).isLessThanOrEqualTo(INT8_TOLERANCE);
        minTau = Math.min(minTau, Fixtures.kendallTau(q, expected));
      }
    }
    System.out.printf("e2e %s: fp32 max |java - python rerankers| = %.3g (tolerance %.0e); int8 vs Python"
        + " onnxruntime on the same int8 file = %.3g; int8 min Kendall tau vs fp32 = %.3f%n",
        caseName, worst, TOLERANCE, worstInt8VsPythonOrt, minTau);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    assertThat(worstInt8VsPythonOrt).isLessThanOrEqualTo(1e-3);
    assertThat(minTau).as("int8 ranking agreement (Kendall tau per query)").isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void sigmoid_option_gives_flashrank_probabilities() {
    Path dir = Fixtures.path("e2e/monobert");
    Map<?, ?> c = (Map<?, ?>) ((List<?>) Fixtures.json("e2e/monobert/scores.json").get("cases")).get(0);
    List<String> docs = TestFiles.strings(c.get("docs"));
    try (Reranker r = Reranker.load("onnx-cross-encoder:" + dir + "?sigmoid=true")) {
      double[] got = inputOrder(r.rank((String) c.get("query"), docs), docs.size());
      double[] expected = TestFiles.doubles(c.get("fp32_flashrank_scores"));
      assertThat(TestFiles.maxAbsDiff(got, expected)).isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void a_folder_of_onnx_classifier_weights_is_inferred_as_onnx_cross_encoder(@TempDir Path tmp) {
    Path dir = tmp.resolve("my-reranker");
    TestFiles.copyTree(Fixtures.path("e2e/xlm-roberta"), dir);
    RerankerSpec spec = Reranker.resolve(dir.toString());
    assertThat(spec.type()).isEqualTo("onnx-cross-encoder");
    assertThat(spec.backend()).contains("flashrank");
  }

  @Test
  void sorting_by_length_and_batch_size_do_not_change_scores() {
    Path dir = Fixtures.path("e2e/bert");
    Map<?, ?> c = (Map<?, ?>) ((List<?>) Fixtures.json("e2e/bert/scores.json").get("cases")).get(2);
    List<String> docs = TestFiles.strings(c.get("docs"));
    String q = (String) c.get("query");
    try (Reranker a = Reranker.load("onnx-cross-encoder:" + dir + "?batchSize=1&sortByLength=false");
        Reranker b = Reranker.load("onnx-cross-encoder:" + dir + "?batchSize=3&intraOpThreads=1&optLevel=basic")) {
      double[] sa = inputOrder(a.rank(q, docs), docs.size());
      double[] sb = inputOrder(b.rank(q, docs), docs.size());
      assertThat(TestFiles.maxAbsDiff(sa, sb)).isLessThanOrEqualTo(1e-5);
      assertThat(b.info().details()).containsEntry("optLevel", "BASIC_OPT").containsEntry("intraOpThreads", "1");
    }
  }

  @Test
  void several_queries_share_batches_and_score_as_they_do_one_by_one() {
    Path dir = Fixtures.path("e2e/bert");
    List<?> cases = (List<?>) Fixtures.json("e2e/bert/scores.json").get("cases");
    List<RankRequest> requests = new java.util.ArrayList<>();
    for (Object o : cases) {
      Map<?, ?> c = (Map<?, ?>) o;
      requests.add(RankRequest.ofTexts((String) c.get("query"), TestFiles.strings(c.get("docs"))));
    }
    try (Reranker r = Reranker.load("onnx-cross-encoder:" + dir + "?batchSize=5")) {
      List<RankedResults> together = r.rankAll(requests);
      assertThat(together).hasSize(requests.size());
      double worst = 0;
      for (int i = 0; i < requests.size(); i++) {
        RankRequest q = requests.get(i);
        List<String> docs = q.documents().stream().map(dev.rerankers.Document::text).toList();
        RankedResults alone = r.rank(q.query(), docs);
        double[] expected = TestFiles.doubles(((Map<?, ?>) cases.get(i)).get("python_rerankers_scores"));
        worst = Math.max(worst, TestFiles.maxAbsDiff(inputOrder(together.get(i), docs.size()), expected));
        assertThat(TestFiles.maxAbsDiff(inputOrder(together.get(i), docs.size()), inputOrder(alone, docs.size())))
            .isLessThanOrEqualTo(1e-5);
        assertThat(together.get(i).usage().get("tokens")).isPositive().isEqualTo(alone.usage().get("tokens"));
      }
      assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void a_tokenizer_that_does_not_fit_the_model_is_an_exception_not_a_crash(@TempDir Path tmp) throws Exception {
    // golden BERT has a 1000-token vocabulary and 64 positions; the e2e tokenizer has 3000 tokens
    Path dir = tmp.resolve("mismatch");
    Files.createDirectories(dir);
    Files.copy(Fixtures.path("golden/BertForSequenceClassification/model.onnx"), dir.resolve("model.onnx"));
    Files.copy(Fixtures.path("golden/BertForSequenceClassification/config.json"), dir.resolve("config.json"));
    for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(Fixtures.path("e2e/bert/" + f), dir.resolve(f));
    }
    try (Reranker r = Reranker.load("onnx-cross-encoder:" + dir)) {
      assertThat(r.info().details()).containsEntry("maxLength", "64");
      assertThatThrownBy(() -> r.rank("vitamin deficiency and homocysteine levels", List.of("zebra xylophone quartz")))
          .isInstanceOf(InferenceException.class)
          .hasMessageContaining("outside the vocabulary of 1000");
    }
  }

  @Test
  void bad_files_and_options_fail_clearly(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("broken");
    TestFiles.copyTree(Fixtures.path("e2e/bert"), dir);
    Files.writeString(dir.resolve("onnx/model.onnx"), "not an onnx file");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model.onnx");
    Path good = Fixtures.path("e2e/bert");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?file=onnx/nope.onnx"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/nope.onnx")
        .hasMessageContaining("onnx/model_quantized.onnx");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?file=../../etc/passwd.onnx"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?optLevel=max"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("optLevel");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?dtype=fp16"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("file");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?executionProvider=npu"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("executionProvider");
    assertThatThrownBy(() -> Reranker.load("onnx-cross-encoder:" + good + "?pooling=mean"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option 'pooling'");
  }

  static double[] inputOrder(RankedResults results, int n) {
    double[] s = new double[n];
    results.forEach(r -> s[((Number) r.id()).intValue()] = r.score());
    return s;
  }

  static double[] logitScores(List<?> rows) {
    double[] s = new double[rows.size()];
    for (int i = 0; i < s.length; i++) {
      double[] l = TestFiles.doubles(rows.get(i));
      s[i] = l.length == 1 ? l[0] : l[1] - l[0];
    }
    return s;
  }
}
