package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Report writers: escaping, failed rows, run files. */
class ReportsTest {

  private static ReportRow row(String spec, Map<String, List<ReportRow.RankedDoc>> rankings) {
    return new ReportRow(spec, "t:m", 0.5, 0.25, 0.125, 1.0, LatencyStats.ofNanos(new long[] {1_000_000, 3_000_000}),
        100.0, 1, 0.1, Map.of(), null, null, null, rankings);
  }

  @Test
  void specs_are_escaped_in_markdown_and_html_and_failed_rows_say_why() {
    EvalReport report = new EvalReport("d<1>", "test", FirstStage.JUDGED, 100, 10, List.of(
        row("a|b<script>", Map.of()), ReportRow.failed("x", "boom <b>")));
    String md = Reports.markdown(report);
    assertThat(md).contains("| a\\|b<script> | 0.5000 | 0.2500 | 0.1250 | 1.0000 | 2.00 | 2.90 | 2.98 | 100 | 1 |")
        .contains("| x | failed: boom <b> |");
    String html = HtmlReport.render(report);
    assertThat(html).contains("a|b&lt;script&gt;").contains("failed: boom &lt;b&gt;").contains("d&lt;1&gt;")
        .doesNotContain("<script>").doesNotContain("<b>boom");
    assertThat(Reports.json(report).get("rerankers").get(1).get("error").asText()).isEqualTo("boom <b>");
  }

  @Test
  void run_files_use_trec_format_and_keep_the_order_of_unscored_rankings() throws Exception {
    Map<String, List<ReportRow.RankedDoc>> rankings = new LinkedHashMap<>();
    rankings.put("q1", List.of(new ReportRow.RankedDoc("d2", 0.9), new ReportRow.RankedDoc("d1", 0.4)));
    rankings.put("q2", List.of(new ReportRow.RankedDoc("d5", null), new ReportRow.RankedDoc("d4", null)));
    StringWriter w = new StringWriter();
    Reports.writeRun(row("cohere:rerank-v3.5?apiKey=x", rankings), w);
    assertThat(w.toString().lines()).containsExactly(
        "q1 Q0 d2 1 0.9 cohere_rerank-v3.5_apiKey_x",
        "q1 Q0 d1 2 0.4 cohere_rerank-v3.5_apiKey_x",
        "q2 Q0 d5 1 1.0 cohere_rerank-v3.5_apiKey_x",
        "q2 Q0 d4 2 0.5 cohere_rerank-v3.5_apiKey_x");
    assertThat(Reports.fileName("../../etc/passwd")).isEqualTo("etc_passwd");
    assertThat(Reports.fileName("first-stage")).isEqualTo("first-stage");
  }

  @Test
  void scored_rankings_are_evaluated_in_trec_eval_order_and_unscored_ones_as_given() {
    List<ReportRow.RankedDoc> tied = List.of(
        new ReportRow.RankedDoc("a", 1.0), new ReportRow.RankedDoc("b", 1.0), new ReportRow.RankedDoc("c", 2.0));
    assertThat(Evaluator.evaluationOrder(tied)).containsExactly("c", "b", "a");
    List<ReportRow.RankedDoc> unscored = List.of(new ReportRow.RankedDoc("a", null), new ReportRow.RankedDoc("b", null));
    assertThat(Evaluator.evaluationOrder(unscored)).containsExactly("a", "b");
  }
}
