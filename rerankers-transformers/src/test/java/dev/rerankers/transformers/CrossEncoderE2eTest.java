package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end parity with the Python rerankers library: the scores its TransformerRanker returned
 * for the golden-e2e checkpoints (copied, folder names kept, to src/test/resources/e2e), through
 * {@code Reranker.load("cross-encoder:" + folder)} on both runtimes ({@code runtime=torch}, eager,
 * and {@code runtime=onnx}, the recorded graph). Tolerance 1e-4 absolute; rankings must match.
 */
class CrossEncoderE2eTest {
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

  /**
   * Ranks every case and returns the max |Δscore| against Python's scores; where Python crashed
   * (monoBERT on a batch of one pair) the scores of {@code fallback} (the main run) are the reference.
   */
  static double checkCases(Reranker ranker, List<Map<String, Object>> pythonCases, List<Map<String, Object>> inputs) {
    double max = 0;
    for (int c = 0; c < pythonCases.size(); c++) {
      Map<String, Object> in = inputs.get(c);
      Map<String, Object> py = pythonCases.get(c).containsKey("error") ? in : pythonCases.get(c);
      List<String> docs = strings(in.get("docs"));
      List<String> ids = strings(in.get("doc_ids"));
      RankedResults r = ranker.rank((String) in.get("query"), docs, ids, null);
      float[] expected = TestFiles.floats(py.get("scores_in_input_order"));
      float[] actual = new float[docs.size()];
      for (Result res : r) {
        actual[ids.indexOf((String) res.id())] = res.score().floatValue();
      }
      max = Math.max(max, TestFiles.maxAbsDiff(actual, expected));
      List<Object> ranking = new ArrayList<>();
      r.forEach(res -> ranking.add(res.id()));
      assertThat(ranking).as("ranking of query %s", in.get("query_id")).isEqualTo(py.get("ranking"));
    }
    return max;
  }

  static final List<String> MODELS = List.of("bert", "monobert", "electra", "xlm-roberta", "deberta-v2", "modernbert");

  static Stream<Arguments> modelsAndRuntimes() {
    return MODELS.stream().flatMap(m -> Stream.of(Arguments.of(m, "torch"), Arguments.of(m, "onnx")));
  }

  @ParameterizedTest(name = "{0} runtime={1}")
  @MethodSource("modelsAndRuntimes")
  void should_match_python_rerankers_scores(String name, String runtime) {
    Map<String, Object> expected = TestFiles.json(folder(name).resolve("expected.json"));
    List<Map<String, Object>> cases = list(expected.get("cases"));
    try (Reranker ranker = Reranker.load("cross-encoder:" + folder(name) + "?runtime=" + runtime)) {
      double diff = checkCases(ranker, cases, cases);
      System.out.printf("e2e %-12s %-5s max|Δscore| = %.3g over %d queries (tolerance %.0e)%n", name, runtime, diff,
          cases.size(), TOLERANCE);
      assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(ranker.info().details()).containsEntry("format", "safetensors").containsEntry("runtime", runtime);
    }
    for (Map<String, Object> variant : list(expected.getOrDefault("variants", List.of()))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> kwargs = (Map<String, Object>) variant.get("rerankers_kwargs");
      int batch = ((Number) kwargs.get("batch_size")).intValue();
      try (Reranker ranker = Reranker.load("cross-encoder:" + folder(name) + "?batchSize=" + batch + "&runtime=" + runtime)) {
        List<Map<String, Object>> pyCases = list(variant.get("cases"));
        double diff = checkCases(ranker, pyCases, cases);
        long crashed = pyCases.stream().filter(c -> c.containsKey("error")).count();
        System.out.printf("e2e %-12s %-5s batchSize=%d max|Δscore| = %.3g (%d queries where Python crashed checked against its main run)%n",
            name, runtime, batch, diff, crashed);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"torch", "onnx"})
  void should_rank_one_document_and_no_documents(String runtime) {
    Map<String, Object> expected = TestFiles.json(folder("bert").resolve("expected.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> one = (Map<String, Object>) ((Map<String, Object>) expected.get("single_doc")).get("rank_one_doc");
    Map<String, Object> first = list(expected.get("cases")).get(0);
    try (Reranker ranker = Reranker.load("cross-encoder:" + folder("bert") + "?runtime=" + runtime)) {
      RankedResults r = ranker.rank((String) first.get("query"), List.of(strings(first.get("docs")).get(0)));
      assertThat(r.size()).isEqualTo(1);
      assertThat(r.get(0).rank()).isEqualTo(1); // Python leaves rank None for a single document
      assertThat(r.get(0).score()).isCloseTo(((Number) one.get("score")).doubleValue(), org.assertj.core.data.Offset.offset(TOLERANCE));
      assertThat(ranker.rank("anything", List.of()).size()).isZero();
    }
    // monoBERT: Python crashes on one document; the Java ranker scores it as in a larger batch
    Map<String, Object> mono = list(TestFiles.json(folder("monobert").resolve("expected.json")).get("cases")).get(0);
    try (Reranker ranker = Reranker.load("cross-encoder:" + folder("monobert") + "?runtime=" + runtime)) {
      double s = ranker.score((String) mono.get("query"), strings(mono.get("docs")).get(0));
      assertThat(s).isCloseTo(TestFiles.floats(mono.get("scores_in_input_order"))[0], org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"torch", "onnx"})
  void should_give_the_same_scores_from_8_threads_as_sequentially(String runtime) throws Exception {
    List<Map<String, Object>> cases = list(TestFiles.json(folder("xlm-roberta").resolve("expected.json")).get("cases"));
    try (Reranker ranker = Reranker.load("cross-encoder:" + folder("xlm-roberta") + "?batchSize=4&maxLength=48&runtime="
        + runtime)) {
      Map<Integer, double[]> sequential = new HashMap<>();
      for (int c = 0; c < cases.size(); c++) {
        sequential.put(c, scores(ranker, cases.get(c)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            for (int call = 0; call < 50; call++) {
              int c = (thread + call) % cases.size();
              if (!java.util.Arrays.equals(scores(ranker, cases.get(c)), sequential.get(c))) {
                return false;
              }
            }
            return true;
          }));
        }
        for (Future<Boolean> f : futures) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  static double[] scores(Reranker ranker, Map<String, Object> c) {
    List<String> docs = strings(c.get("docs"));
    RankedResults r = ranker.rank((String) c.get("query"), docs);
    double[] out = new double[docs.size()];
    for (Result res : r) {
      out[((Number) res.id()).intValue()] = res.score();
    }
    return out;
  }
}
