package dev.rerankers.flashrank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One ranker (one ONNX Runtime session) shared by concurrent rank calls gives each caller its own answer. */
class ConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void a_cross_encoder_and_a_dense_ranker_serve_eight_threads_at_once() throws Exception {
    List<?> cases = (List<?>) Fixtures.json("e2e/bert/scores.json").get("cases");
    List<?> groups = (List<?>) Fixtures.json("dense/groups.json").get("groups");
    try (Reranker ce = Reranker.load("onnx-cross-encoder:" + Fixtures.path("e2e/bert") + "?batchSize=4");
        Reranker dense = Reranker.load("dense?cacheSize=50&extractDir=" + tmp)) {
      // expected answers, computed one call at a time
      List<double[]> ceExpected = new ArrayList<>();
      for (Object o : cases) {
        Map<?, ?> c = (Map<?, ?>) o;
        List<String> docs = TestFiles.strings(c.get("docs"));
        ceExpected.add(OnnxCrossEncoderTest.inputOrder(ce.rank((String) c.get("query"), docs), docs.size()));
      }
      List<double[]> denseExpected = new ArrayList<>();
      for (Object o : groups) {
        Map<?, ?> g = (Map<?, ?>) o;
        List<String> docs = TestFiles.strings(g.get("irrelevant"));
        denseExpected.add(OnnxCrossEncoderTest.inputOrder(dense.rank((String) g.get("query"), docs), docs.size()));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Double>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int seed = t;
          futures.add(pool.submit(() -> {
            double worst = 0;
            for (int k = 0; k < 6; k++) {
              int i = (seed + k) % cases.size();
              Map<?, ?> c = (Map<?, ?>) cases.get(i);
              List<String> docs = TestFiles.strings(c.get("docs"));
              double[] got = OnnxCrossEncoderTest.inputOrder(ce.rank((String) c.get("query"), docs), docs.size());
              worst = Math.max(worst, TestFiles.maxAbsDiff(got, ceExpected.get(i)));
              int j = (seed * 7 + k) % groups.size();
              Map<?, ?> g = (Map<?, ?>) groups.get(j);
              List<String> gd = TestFiles.strings(g.get("irrelevant"));
              double[] d = OnnxCrossEncoderTest.inputOrder(dense.rank((String) g.get("query"), gd), gd.size());
              worst = Math.max(worst, TestFiles.maxAbsDiff(d, denseExpected.get(j)));
            }
            return worst;
          }));
        }
        double worst = 0;
        for (Future<Double> f : futures) {
          worst = Math.max(worst, f.get(5, TimeUnit.MINUTES));
        }
        System.out.printf("8 threads x 6 calls on shared sessions: max deviation from single-threaded = %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(1e-6);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void a_closed_ranker_refuses_calls() {
    Reranker r = Reranker.load("onnx-cross-encoder:" + Fixtures.path("e2e/bert"));
    r.close();
    r.close();
    assertThatThrownBy(() -> r.rank("q", List.of("d"))).isInstanceOf(IllegalStateException.class);
  }
}
