package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerankers.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real data: BM25 top-100 over BEIR SciFact (test, 300 queries, 5,183 documents) reproduces the
 * published Anserini BM25 "flat" nDCG@10 of 0.6789 (../shared/data/scifact/README.md) within 0.02.
 * Skipped when ../shared is absent. Run with {@code -Pslow}.
 */
@Tag("slow")
class SciFactBm25SlowTest {
  private static final double PUBLISHED_NDCG10 = 0.6789;
  private static final double TOLERANCE = 0.02;

  @Test
  void bm25_reproduces_the_published_scifact_ndcg_at_10() {
    Path dir = SharedData.require("data/scifact");
    long t0 = System.nanoTime();
    BeirDataset data = BeirReader.read(dir, "test", "scifact");
    Evaluator evaluator = new Evaluator(
        data, new Evaluator.Options(FirstStage.BM25, 100, 10, 0, 1), Progress.Factory.none(), s -> { });
    EvalReport report = evaluator.run(List.of(), Map.of());
    double seconds = (System.nanoTime() - t0) / 1e9;
    ReportRow bm25 = report.rows().get(0);
    System.out.printf(java.util.Locale.ROOT,
        "SciFact BM25 top-100: nDCG@10 %.6f (published %.4f, |diff| %.6f, tolerance %.2f), MRR@10 %.4f, MAP %.4f,"
            + " Recall@100 %.4f, %d queries, %.1f s%n",
        bm25.ndcg(), PUBLISHED_NDCG10, Math.abs(bm25.ndcg() - PUBLISHED_NDCG10), TOLERANCE, bm25.mrr(), bm25.map(),
        bm25.recall(), bm25.queries(), seconds);
    assertThat(bm25.queries()).isEqualTo(300);
    assertThat(bm25.ndcg()).isCloseTo(PUBLISHED_NDCG10, within(TOLERANCE));
  }
}
