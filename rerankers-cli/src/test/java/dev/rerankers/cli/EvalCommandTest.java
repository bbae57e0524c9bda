package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerankers.cli.eval.BeirDataset;
import dev.rerankers.cli.eval.BeirReader;
import dev.rerankers.eval.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rerankers eval} in-process on the bundled SciFact sample. Rerankers here are the
 * TEST-ONLY word-overlap provider (not a model).
 */
class EvalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The sample bundled with the examples (this module runs its tests in rerankers-cli/). */
  private static final String SAMPLE = "../examples/datasets/scifact-sample";

  @Test
  void first_stage_alone_prints_a_markdown_table_and_writes_the_report(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report");
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--report", report.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo(SAMPLE + " (test), first stage bm25, depth 100");
    assertThat(lines.get(2)).isEqualTo(
        "| reranker | nDCG@10 | MRR@10 | MAP | Recall@100 | p50 ms | p95 ms | p99 ms | docs/s | queries |");
    assertThat(lines.get(4)).startsWith("| first-stage | 0.");
    assertThat(lines).hasSize(5);
    assertThat(r.err()).contains("read " + SAMPLE + ": 185 documents, 20 queries").contains("indexed 185 documents");

    JsonNode json = JSON.readTree(report.resolve("report.json").toFile());
    assertThat(fieldNames(json)).containsExactly("dataset", "split", "first_stage", "depth", "k", "rerankers");
    assertThat(json.get("dataset").asText()).isEqualTo(SAMPLE);
    JsonNode row = json.get("rerankers").get(0);
    assertThat(fieldNames(row)).containsExactly(
        "spec", "ndcg@10", "mrr@10", "map", "recall@100", "latency_ms", "docs_per_second", "queries", "ranker");
    assertThat(row.get("spec").asText()).isEqualTo("first-stage");
    assertThat(row.get("queries").asInt()).isEqualTo(20);
    assertThat(fieldNames(row.get("latency_ms"))).containsExactly("p50", "p95", "p99");
    assertThat(row.get("latency_ms").get("p50").asDouble()).isPositive()
        .isLessThanOrEqualTo(row.get("latency_ms").get("p95").asDouble());
    assertThat(row.get("docs_per_second").asDouble()).isPositive();
    // the table prints what report.json holds
    assertThat(lines.get(4)).contains(String.format(java.util.Locale.ROOT, "| %.4f |", row.get("ndcg@10").asDouble()));

    // the run file reproduces the metric when re-scored independently of the evaluator
    BeirDataset data = BeirReader.read(Path.of(SAMPLE), "test");
    Map<String, Map<String, Double>> run = readRun(report.resolve("runs/first-stage.trec"));
    assertThat(run.keySet()).hasSize(20);
    List<Double> ndcg = new ArrayList<>();
    for (String q : data.evaluatedQueries(0)) {
      ndcg.add(Metrics.ndcg(Metrics.trecOrder(run.get(q)), data.qrels().get(q), 10));
    }
    assertThat(Metrics.mean(ndcg)).isCloseTo(row.get("ndcg@10").asDouble(), within(1e-6));

    String html = Files.readString(report.resolve("report.html"), StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("Quality vs latency")
        .contains("Latency per query").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    assertThat(Files.readString(report.resolve("report.md"))).isEqualTo(r.out());
  }

  @Test
  void rerankers_are_compared_side_by_side_with_usage_and_cost(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("r");
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", "word-overlap:a,word-overlap-order:b",
        "--price", "word-overlap:a=0.02/1Mtokens", "--queries", "5", "--depth", "20", "--report", report.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("| usage/query | cost/1k queries |").contains("| word-overlap:a | ")
        .contains("| word-overlap-order:b | ");
    JsonNode rows = JSON.readTree(report.resolve("report.json").toFile()).get("rerankers");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("spec").asText()).isEqualTo("first-stage");
    JsonNode a = rows.get(1);
    assertThat(a.get("queries").asInt()).isEqualTo(5);
    assertThat(a.has("recall@20")).isTrue();
    // the reranker reorders the same candidates: recall at the depth cannot change
    assertThat(a.get("recall@20").asDouble()).isEqualTo(rows.get(0).get("recall@20").asDouble());
    double tokens = a.get("usage_per_query").get("tokens").asDouble();
    assertThat(tokens).isPositive();
    assertThat(a.get("cost_per_1000_queries").asDouble()).isCloseTo(tokens * 0.02 / 1e6 * 1000, within(1e-6));
    assertThat(a.get("price").asText()).isEqualTo("word-overlap:a=0.02/1000000tokens");
    assertThat(a.get("ranker").asText()).isEqualTo("word-overlap:a");
    JsonNode b = rows.get(2);
    assertThat(b.has("usage_per_query")).isFalse();
    assertThat(b.has("cost_per_1000_queries")).isFalse();
  }

  @Test
  void judged_candidates_give_a_perfect_first_stage_on_binary_relevant_only_qrels() throws Exception {
    // SciFact's qrels list only relevant documents, so the judged list in qrels order puts every
    // relevant document first: nDCG, MRR, MAP and recall are all exactly 1.
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--first-stage", "judged", "--rerankers", "word-overlap:x");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("first stage judged").contains("| first-stage | 1.0000 | 1.0000 | 1.0000 | 1.0000 |");
    assertThat(r.out()).contains("| word-overlap:x | ");
  }

  @Test
  void all_documents_as_candidates(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--first-stage", "ALL", "--rerankers", "word-overlap:x",
        "--queries", "3", "--report", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode rows = JSON.readTree(dir.resolve("report.json").toFile()).get("rerankers");
    // corpus order is no ranking: no throughput is claimed for it
    assertThat(rows.get(0).get("docs_per_second").isNull()).isTrue();
    assertThat(JSON.readTree(dir.resolve("report.json").toFile()).get("first_stage").asText()).isEqualTo("all");
    // the reranker ranked every one of the 185 documents for each of the 3 queries
    assertThat(Files.readAllLines(dir.resolve("runs/word-overlap_x.trec"))).hasSize(3 * 185);
  }

  @Test
  void a_failing_reranker_gets_a_failed_row_and_exit_code_1() throws Exception {
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", "always-fails:x,word-overlap:y", "--queries", "2");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("| always-fails:x | failed: always-fails: this test ranker fails on purpose |")
        .contains("| word-overlap:y | 0.");
    assertThat(r.err()).contains("always-fails:x failed");
  }

  @Test
  void a_malformed_dataset_fails_with_file_and_line(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("bad");
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"text\": \n");
    Files.writeString(data.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"x\"}\n");
    Files.writeString(data.resolve("qrels/test.tsv"), "q1\td1\t1\n");
    CliRun r = CliRun.run("eval", "--dataset", data.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(data.resolve("corpus.jsonl") + ":2: not valid JSON");

    Files.writeString(data.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"x\"}\n");
    Files.writeString(data.resolve("qrels/test.tsv"), "q1\td1\t1\nq1\td7\t1\n");
    CliRun unknown = CliRun.run("eval", "--dataset", data.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains(data.resolve("qrels/test.tsv") + ":2: document id 'd7' is not in");

    Files.delete(data.resolve("queries.jsonl"));
    CliRun missing = CliRun.run("eval", "--dataset", data.toString());
    assertThat(missing.err()).contains("has no queries.jsonl");
  }

  @Test
  void bad_option_values_are_usage_errors_with_exit_code_2() {
    for (String[] bad : new String[][] {{"--queries", "0"}, {"--depth", "0"}, {"--k", "-1"}, {"--warmup", "-1"}}) {
      CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", "word-overlap:a", bad[0], bad[1]);
      assertThat(r.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(r.err()).contains(bad[0] + " must be >= ").contains("Usage: rerankers eval");
    }
  }

  @Test
  void bad_arguments_are_explained() {
    assertThat(CliRun.run("eval", "--dataset", "/no/such/dir").err()).contains("dataset folder /no/such/dir does not exist");
    CliRun price = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", "word-overlap:a", "--price", "cohere=1/tokens");
    assertThat(price.exitCode()).isEqualTo(1);
    assertThat(price.err()).contains("--price names 'cohere', which is not among --rerankers [word-overlap:a]");
    CliRun stage = CliRun.run("eval", "--dataset", SAMPLE, "--first-stage", "dense");
    assertThat(stage.exitCode()).isEqualTo(2);
    assertThat(stage.err()).contains("first stage must be bm25, judged or all, got 'dense'");
    assertThat(CliRun.run("eval", "--dataset", SAMPLE, "--k", "0").err()).contains("--k must be >= 1, got 0");
  }

  @Test
  void progress_bars_go_to_standard_error_when_asked_for() {
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", "word-overlap:x", "--queries", "3", "--progress");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("first stage (bm25)").contains("word-overlap:x").contains("3/3");
    assertThat(r.out()).doesNotContain("3/3");
  }

  @Test
  void api_keys_in_specs_never_reach_the_output_or_the_report(@TempDir Path dir) throws Exception {
    String spec = "word-overlap:x?apiKey=sk-secret-42";
    CliRun r = CliRun.run("eval", "--dataset", SAMPLE, "--rerankers", spec, "--price", spec + "=1/1ktokens",
        "--queries", "2", "--report", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("| word-overlap:x?apiKey=…(12 chars) | ").doesNotContain("sk-secret-42");
    assertThat(r.err()).doesNotContain("sk-secret-42");
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(f.toString()).doesNotContain("sk-secret-42");
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("sk-secret-42");
      }
    }
    JsonNode row = JSON.readTree(dir.resolve("report.json").toFile()).get("rerankers").get(1);
    assertThat(row.get("price").asText()).isEqualTo("word-overlap:x?apiKey=…(12 chars)=1.0/1000tokens");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  private static Map<String, Map<String, Double>> readRun(Path file) throws Exception {
    Map<String, Map<String, Double>> run = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] c = line.split(" ");
      assertThat(c).hasSize(6);
      assertThat(c[1]).isEqualTo("Q0");
      run.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(c[2], Double.parseDouble(c[4]));
    }
    return run;
  }
}
