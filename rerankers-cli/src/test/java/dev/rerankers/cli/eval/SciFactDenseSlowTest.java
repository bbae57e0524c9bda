package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerankers.BackendNotFoundException;
import dev.rerankers.Reranker;
import dev.rerankers.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real data: exhaustive dense ranking of BEIR SciFact with all-MiniLM-L6-v2 (max length 256, mean
 * pooling: the {@code dense} family of rerankers-flashrank) reproduces MTEB's published nDCG@10 of
 * 0.64508 within 0.01. Skipped until a provider for {@code dense} is on the classpath, and when
 * ../shared is absent. Every query ranks all 5,183 documents, so this is only practical when the
 * dense ranker caches document embeddings. Run with {@code -Pslow}.
 */
@Tag("slow")
class SciFactDenseSlowTest {
  private static final String SPEC = "dense?maxLength=256";
  private static final double PUBLISHED_NDCG10 = 0.64508;
  private static final double TOLERANCE = 0.01;

  @Test
  void exhaustive_dense_ranking_reproduces_the_published_scifact_ndcg_at_10() {
    Path dir = SharedData.require("data/scifact");
    try (Reranker probe = Reranker.load(SPEC)) {
      Assumptions.assumeTrue(probe != null);
    } catch (BackendNotFoundException e) {
      Assumptions.abort("no backend serves 'dense' yet: " + e.getMessage().lines().findFirst().orElse(""));
    }
    long t0 = System.nanoTime();
    BeirDataset data = BeirReader.read(dir, "test", "scifact");
    Evaluator evaluator = new Evaluator(
        data, new Evaluator.Options(FirstStage.ALL, 100, 10, 0, 1), Progress.Factory.none(), System.out::println);
    EvalReport report = evaluator.run(List.of(SPEC), Map.of());
    double seconds = (System.nanoTime() - t0) / 1e9;
    ReportRow dense = report.rows().get(1);
    assertThat(dense.error()).isNull();
    System.out.printf(java.util.Locale.ROOT,
        "SciFact exhaustive dense (%s): nDCG@10 %.5f (published %.5f, |diff| %.5f, tolerance %.2f), p50 %.1f ms,"
            + " %.0f docs/s, %.1f s%n",
        SPEC, dense.ndcg(), PUBLISHED_NDCG10, Math.abs(dense.ndcg() - PUBLISHED_NDCG10), TOLERANCE,
        dense.latency().percentile(50), dense.docsPerSecond(), seconds);
    assertThat(dense.ndcg()).isCloseTo(PUBLISHED_NDCG10, within(TOLERANCE));
  }
}
