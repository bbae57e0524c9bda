package dev.rerankers.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rerankers.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's plumbing, quickly and without Python: the SciFact workload, one Java side in a child
 * JVM on the golden-e2e BERT cross-encoder (the real path: spec file, fresh JVM, result file, the
 * /proc readings), keeping the better of two runs, and the report's ratios, goal marks and load
 * warnings. The benchmark itself ({@code bin/rerankers-bench}) is not run by the build.
 */
class BenchPlumbingTest {

  @Test
  void should_build_varied_and_uniform_sets_from_scifact(@TempDir Path tmp) throws Exception {
    Path scifact = SharedData.root().map(p -> p.resolve("data/scifact")).filter(Files::isDirectory).orElse(null);
    assumeTrue(scifact != null, "../shared/data/scifact is absent");
    Workload w = Workload.text(scifact, 2, 12);
    assertThat(w.pairs("varied")).isEqualTo(24);
    assertThat(w.pairs("uniform")).isEqualTo(24);
    List<Object> varied = JsonOut.list(w.sets().get("varied").get(0).get("docs"));
    List<Object> uniform = JsonOut.list(w.sets().get("uniform").get(0).get("docs"));
    // every third varied document is a bare title; uniform ones are at most 100 words
    assertThat(((String) varied.get(0)).length()).isLessThan(((String) varied.get(1)).length());
    assertThat(uniform).allSatisfy(d -> assertThat(((String) d).split("\\s+")).hasSizeLessThanOrEqualTo(100));
    assertThat(JsonOut.list(w.first().get("docs"))).hasSize(10).isEqualTo(uniform.subList(0, 10));
    Path file = tmp.resolve("w.json");
    w.write(file);
    assertThat(Workload.read(file)).isEqualTo(w);
    assertThatThrownBy(() -> Workload.text(scifact, 100_000, 1)).hasMessageContaining("too few");
  }

  @Test
  void should_run_a_java_side_in_its_own_jvm(@TempDir Path tmp) throws Exception {
    Path shared = SharedData.root().orElse(null);
    assumeTrue(shared != null && Files.isDirectory(shared.resolve("golden-e2e/bert")), "../shared/golden-e2e is absent");
    Workload w = Workload.text(shared.resolve("data/scifact"), 1, 12);
    Path workload = tmp.resolve("workload.json");
    w.write(workload);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("spec", "cross-encoder:" + shared.resolve("golden-e2e/bert") + "?device=cpu&batchSize=4");
    spec.put("workload", workload.toString());
    spec.put("repeats", 1);
    Map<String, Object> r = BenchMain.javaChild(tmp, tmp, "smoke", spec, 1, Map.of(), "");
    System.out.println("java side: " + JsonOut.write(r));
    double ttfr = JsonOut.number(r, "ttfr_s");
    assertThat(ttfr).as("time to first result, JVM start included").isGreaterThan(0.05).isLessThan(120);
    assertThat(JsonOut.number(r, "rss_peak_mb")).as("peak RSS").isGreaterThan(50);
    Map<String, Object> varied = JsonOut.map(JsonOut.map(r.get("sets")).get("varied"));
    assertThat(((Number) varied.get("pairs")).intValue()).isEqualTo(12);
    assertThat(JsonOut.number(varied, "pairs_per_s")).isPositive();
    assertThat(JsonOut.map(r.get("info"))).containsEntry("batchSize", "4");
  }

  /**
   * The ONNX backends run without libtorch in the process (DJL's OnnxRuntime engine would load it as
   * its "alternative engine"; rerankers-flashrank turns that off): dense's bundled model in a child
   * JVM whose class path has both engines, as every application with the transformers module has.
   */
  @Test
  void should_not_map_libtorch_for_an_onnx_backend(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads /proc");
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("query", "vitamin b12 deficiency");
    call.put("docs", List.of("homocysteine rises with low B12", "the weather in Lisbon"));
    Workload w = new Workload(Map.of("varied", List.of(call)), call);
    Path workload = tmp.resolve("workload.json");
    w.write(workload);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("spec", "dense?cacheSize=0&intraOpThreads=1");
    spec.put("workload", workload.toString());
    spec.put("sets", List.of("varied"));
    Map<String, Object> r = BenchMain.javaChild(tmp, tmp, "onnx-only", spec, 1, Map.of(), "");
    System.out.println("dense in a fresh JVM: native libraries " + r.get("native_libraries") + ", first result "
        + r.get("ttfr_s") + " s, peak RSS " + r.get("rss_peak_mb") + " MiB");
    assertThat(JsonOut.list(r.get("native_libraries"))).contains("libonnxruntime").doesNotContain("libtorch_cpu");
  }

  @Test
  void should_keep_the_better_of_two_runs_per_side() {
    Map<String, Object> a = side(10, 20, 3.0, 500);
    Map<String, Object> b = side(12, 18, 2.5, 520);
    Map<String, Object> best = BenchMain.better(a, b);
    assertThat(JsonOut.number(best, "ttfr_s")).isEqualTo(2.5);
    assertThat(JsonOut.number(best, "rss_peak_mb")).isEqualTo(520);
    assertThat(JsonOut.number(JsonOut.map(JsonOut.map(best.get("sets")).get("varied")), "pairs_per_s")).isEqualTo(12);
    assertThat(JsonOut.number(JsonOut.map(JsonOut.map(best.get("sets")).get("uniform")), "pairs_per_s")).isEqualTo(20);
    a.put("others_cores", 0.1);
    b.put("others_cores", 0.3);
    assertThat(JsonOut.number(BenchMain.better(a, b), "others_cores")).as("the worse load of the two").isEqualTo(0.3);
  }

  @Test
  void should_render_ratios_goals_and_load_warnings() throws Exception {
    Results results = new Results(new LinkedHashMap<>());
    results.rows().put("quiet-row", entry(side(30, 20, 1.5, 400), side(10, 25, 5.0, 600), 0.4, true));
    results.rows().put("loaded-row", entry(side(12, 10, 3.0, 900), side(10, 10, 4.0, 800), 2.7, false));
    results.rows().put("cds-row", entry(side(30, 20, 2.5, 400), side(10, 25, 5.0, 600), 0.4, true));
    JsonOut.map(results.rows().get("cds-row")).put("java_cds", Map.of("main_at_s", 0.05, "loaded_at_s", 1.2,
        "ttfr_s", 1.75));
    String md = Report.render(results, "");
    System.out.println(md);
    assertThat(md).contains("| quiet-row |").contains("30.0 / 10.0 (3.00×)").contains("20.0 / 25.0 (0.80×)")
        .contains("| quiet-row | ✓ | ✗ | ✓ (1.50 s) | ✓ |")
        .contains("12.0 / 10.0 (1.20×) ⚠").contains("| loaded-row | ✗ ⚠ | ✓ ⚠ | — | ✗ ⚠ |")
        .contains("0.40–0.40 |")
        .contains("| cds-row | ✓ | ✗ | ✗ (2.50 s; 1.75 s with AppCDS) | ✓ |").contains("| cds-row | – / – / 2.50 | 0.05 / 1.20 / 1.75 |");
    assertThatThrownBy(() -> BenchMain.parse(new String[] {"--rounds"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchMain.parse(new String[] {"rounds"})).hasMessageContaining("unexpected argument");
    assertThat(BenchMain.commonAncestor(Path.of("/work/wt/x"), Path.of("/work/shared"))).isEqualTo(Path.of("/work"));
  }

  /** The runner rewrites only its own section of docs/benchmarks.md; other sections (issue 20's graph table) stay. */
  @Test
  void should_replace_only_the_table_section(@TempDir Path tmp) throws Exception {
    String doc = "# Benchmarks\n\nintro\n\n" + Report.BEGIN + "\nold table\n" + Report.END + "\n\n## Goals analysis\n"
        + "hand-written\n\n<!-- bench:graph:begin -->\ngraph figures\n<!-- bench:graph:end -->\n";
    Path md = tmp.resolve("benchmarks.md");
    Files.writeString(md, doc);
    Results results = new Results(new LinkedHashMap<>());
    results.rows().put("quiet-row", entry(side(30, 20, 1.5, 400), side(10, 25, 5.0, 600), 0.4, true));
    Report.write(md, results, "SMOKE RUN");
    String out = Files.readString(md);
    assertThat(out).startsWith("# Benchmarks\n\nintro\n\n" + Report.BEGIN + "\n")
        .endsWith(Report.END + "\n\n## Goals analysis\nhand-written\n\n<!-- bench:graph:begin -->\ngraph figures\n"
            + "<!-- bench:graph:end -->\n")
        .contains("**SMOKE RUN**").contains("| quiet-row |").doesNotContain("old table");
    // a second write replaces the section again, nothing accumulates
    Report.write(md, results, "");
    String again = Files.readString(md);
    assertThat(again.split(java.util.regex.Pattern.quote(Report.BEGIN), -1)).hasSize(2);
    assertThat(again).doesNotContain("SMOKE RUN").contains("hand-written").contains("graph figures");
    // a page without the markers gets them appended; a missing page is created
    assertThat(Report.replaceSection("# Page\n", "t\n")).isEqualTo("# Page\n\n" + Report.BEGIN + "\nt\n" + Report.END + "\n");
    Path fresh = tmp.resolve("new.md");
    Report.write(fresh, results, "");
    assertThat(Files.readString(fresh)).startsWith("# Benchmarks").contains(Report.BEGIN).contains(Report.END);
  }

  /** Every row has a model or the backend's default, fits the estimate, and shrinks for --smoke. */
  @Test
  void should_size_rows_for_the_time_budget_and_the_smoke_run() {
    List<Row> rows = Row.all();
    assertThat(rows).extracting(Row::id).doesNotHaveDuplicates().doesNotContain(BenchMain.PREFIX_SWEEP, BenchMain.FUSED);
    assertThat(rows.stream().mapToInt(Row::estSeconds).sum()).as("full run, seconds, before model making")
        .isLessThanOrEqualTo(25 * 60);
    // issue 19's 100 candidates for the encoders; the graph-recording types get their first-ever load apart
    assertThat(rows).filteredOn(r -> r.type().equals("cross-encoder") || r.type().equals("colbert"))
        .allSatisfy(r -> {
          assertThat(r.candidates()).isEqualTo(100);
          assertThat(r.recordsGraph()).isTrue();
        }).extracting(Row::id).contains("cross-encoder-bge-base", "colbert-v2");
    assertThat(rows).filteredOn(r -> !r.type().equals("cross-encoder") && !r.type().equals("colbert"))
        .noneMatch(Row::recordsGraph);
    Row torch = new Row("x", "cross-encoder", "m", null, "cross-encoder", "s", "&runtime=torch", 16, 1, 3, 1, 1, 1,
        false, false, Map.of());
    assertThat(torch.recordsGraph()).as("libtorch records no graph").isFalse();
    for (Row r : rows) {
      assertThat(r.firstDocs()).isBetween(1, r.candidates());
      Row s = r.smoke();
      assertThat(s.queries() * s.candidates()).isLessThanOrEqualTo(3);
      assertThat(s.repeats()).isEqualTo(1);
      assertThat(s.id()).isEqualTo(r.id());
      assertThat(s.shape()).contains("SMOKE");
    }
    assertThat(rows).extracting(Row::model).contains(BenchMain.SWEEP_MODEL);
  }

  /** --quiet-load is gone with a message naming its replacement; unknown options are refused. */
  @Test
  void should_refuse_the_old_load_rule_and_unknown_options() {
    assertThat(BenchMain.parse(new String[] {"--quiet-cores", "0.5", "--quiet-wait", "3", "--smoke"}))
        .containsEntry("quiet-cores", "0.5").containsEntry("quiet-wait", "3").containsEntry("smoke", "true");
    assertThatThrownBy(() -> BenchMain.parse(new String[] {"--quiet-load", "2.2"})).hasMessageContaining("--quiet-cores");
    assertThatThrownBy(() -> BenchMain.parse(new String[] {"--qiuet-cores", "1"}))
        .hasMessageContaining("unknown option --qiuet-cores");
  }

  /** ⚠ follows others' CPU (or a wait that ran out), not the load average, which stays in the table. */
  @Test
  void should_mark_rows_by_others_cpu_and_show_the_first_ever_load() {
    Results results = new Results(new LinkedHashMap<>());
    Map<String, Object> busyOwn = entry(side(30, 20, 1.5, 400), side(10, 25, 5.0, 600), 2.1, true);
    busyOwn.putAll(Map.of("others_cores_max", 0.05, "quiet_cores", 0.25, "quiet_timed_out", false));
    busyOwn.put("java_cold", Map.of("main_at_s", 0.06, "loaded_at_s", 3.1, "ttfr_s", 3.6, "rss_peak_mb", 1400.0,
        "graph_mb", 87.0));
    Map<String, Object> others = entry(side(30, 20, 1.5, 400), side(10, 25, 5.0, 600), 0.3, false);
    others.putAll(Map.of("others_cores_max", 0.41, "quiet_cores", 0.25, "quiet_timed_out", false));
    Map<String, Object> waited = entry(side(30, 20, 1.5, 400), side(10, 25, 5.0, 600), 0.3, false);
    waited.putAll(Map.of("others_cores_max", 0.02, "quiet_cores", 0.25, "quiet_timed_out", true));
    results.rows().put("graph-row", busyOwn);
    results.rows().put("others-row", others);
    results.rows().put("waited-row", waited);
    Map<String, Object> fused = new LinkedHashMap<>(Map.of("iterations", 2, "cases", List.of(), "e2e_row", "graph-row",
        "e2e_runtime", "torch", "others_cores_max", 0.01, "quiet_cores", 0.25, "quiet_timed_out", false));
    fused.put("e2e", Map.of("on", Map.of("varied", Map.of("pairs_per_s", 20.0)), "off",
        Map.of("varied", Map.of("pairs_per_s", 18.0))));
    fused.put("load_min", 1.9);
    fused.put("load_max", 2.0);
    results.rows().put(BenchMain.FUSED, fused);
    String md = Report.render(results, "");
    System.out.println(md);
    assertThat(md)
        // the benchmark's own load average 2.1 no longer marks; others' 0.41 cores or a timed-out wait does
        .contains("| graph-row | test shape; 1 × 10 pairs per set | 30.0 / 10.0 (3.00×) |")
        .contains("2.10–2.10 · 0.05 |").contains("| graph-row | ✓ | ✗ | ✓ (1.50 s) | ✓ |")
        .contains("20.0 / 25.0 (0.80×) ⚠ |").contains("0.30–0.30 · 0.41 ⚠ |")
        .contains("| others-row | ✓ ⚠ | ✗ ⚠ | — | ✓ ⚠ |").contains("| waited-row | ✓ ⚠ | ✗ ⚠ | — | ✓ ⚠ |")
        .contains("Others' CPU during the sides: max 0.41 cores (others-row); a wait for a quiet machine ran out.")
        .contains("less than 0.25 cores")
        // the table's Java figures are the warm starts; the first-ever load is in the breakdown
        .contains("measured with the graph already recorded")
        .contains("| graph-row | – / – / 1.50 | – | 0.06 / 3.10 / 3.60 · 1400 | – / – / 5.00 |")
        .contains("| others-row | – / – / 1.50 | – | – | – / – / 5.00 |")
        .contains("on the libtorch runtime (`runtime=torch`").contains("varied 20.0 / 18.0 pairs/s")
        .doesNotContain("Rows measured before this accounting");
    assertThat(md.split("\n")).filteredOn(l -> l.startsWith("End to end")).singleElement().asString()
        .doesNotContain("⚠");
  }

  /** The runner's graph folders: emptied only under the work folder, sized, and stamped to see a rewrite. */
  @Test
  void should_empty_size_and_stamp_graph_folders(@TempDir Path tmp) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path graphs = Files.createDirectories(work.resolve("graphs/row/abc"));
    Files.write(graphs.resolve("model.onnx"), new byte[1 << 20]);
    Map<String, String> before = GraphFiles.stamp(work.resolve("graphs/row"));
    assertThat(before).containsOnlyKeys("abc/model.onnx");
    assertThat(GraphFiles.megabytes(work.resolve("graphs/row"))).isEqualTo(1.0);
    // the cache's bookkeeping, which a warm load may write, is not the graph
    Files.writeString(graphs.resolve("graph.verified"), "checked");
    Files.writeString(Files.createDirectories(work.resolve("graphs/row/.hashes")).resolve("memo"), "hash");
    assertThat(GraphFiles.stamp(work.resolve("graphs/row"))).isEqualTo(before);
    Files.write(graphs.resolve("model.onnx"), new byte[2 << 20]);
    assertThat(GraphFiles.stamp(work.resolve("graphs/row"))).isNotEqualTo(before);
    assertThatThrownBy(() -> GraphFiles.empty(work, tmp.resolve("elsewhere"))).hasMessageContaining("refusing");
    assertThatThrownBy(() -> GraphFiles.empty(work, work)).hasMessageContaining("refusing");
    GraphFiles.empty(work, work.resolve("graphs/row"));
    assertThat(work.resolve("graphs/row")).doesNotExist();
    assertThat(GraphFiles.megabytes(work.resolve("graphs/row"))).isZero();
    GraphFiles.empty(work, work.resolve("graphs/row")); // absent: nothing to do
  }

  /**
   * The first-ever load on a real checkpoint (golden-e2e BERT) records its graph into the row's folder;
   * a later side with the same spec finds it and writes nothing there.
   */
  @Test
  void should_record_the_graph_once_in_the_first_load_and_reuse_it(@TempDir Path tmp) throws Exception {
    Path shared = SharedData.root().orElse(null);
    assumeTrue(shared != null && Files.isDirectory(shared.resolve("golden-e2e/bert")), "../shared/golden-e2e is absent");
    Workload w = Workload.text(shared.resolve("data/scifact"), 1, 4, 2);
    Path workload = tmp.resolve("workload.json");
    w.write(workload);
    Path graphs = tmp.resolve("graphs/ce");
    Files.createDirectories(graphs.resolve("stale"));
    Files.writeString(graphs.resolve("stale/left-over"), "from an earlier run");
    String spec = "cross-encoder:" + shared.resolve("golden-e2e/bert") + "?device=cpu&batchSize=4&graphCache=" + graphs;
    Map<String, Object> cold = BenchMain.coldLoad(tmp, tmp, Row.all().get(0), spec, workload, graphs, 1, Map.of(), "");
    System.out.println("first-ever load: " + JsonOut.write(cold));
    assertThat(cold).containsOnlyKeys("main_at_s", "loaded_at_s", "ttfr_s", "rss_peak_mb", "graph_mb");
    assertThat(JsonOut.number(cold, "ttfr_s")).isGreaterThan(JsonOut.number(cold, "loaded_at_s"));
    assertThat(JsonOut.number(cold, "graph_mb")).isPositive();
    Map<String, String> recorded = GraphFiles.stamp(graphs);
    assertThat(recorded.keySet()).noneMatch(k -> k.startsWith("stale")).anyMatch(k -> k.endsWith("model.onnx"));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("spec", spec);
    s.put("workload", workload.toString());
    s.put("sets", List.of("uniform"));
    Map<String, Object> warm = BenchMain.javaChild(tmp, tmp, "warm", s, 1, Map.of(), "");
    assertThat(JsonOut.number(warm, "ttfr_s")).isPositive();
    assertThat(GraphFiles.stamp(graphs)).as("the warm side wrote no graph").isEqualTo(recorded);
  }

  /** A side that fails (e.g. a model it cannot load) is reported in the table, not the end of the run. */
  @Test
  void should_report_a_failed_side() {
    String out = "/usr/bin/java ... failed (exit 1):\nSLF4J(W): No SLF4J providers were found.\n"
        + "Exception in thread \"main\" dev.rerankers.CheckpointException: tensor x holds 2359296000 bytes\n"
        + "\tat dev.rerankers.Reranker.load(Reranker.java:133)\n";
    assertThat(BenchMain.errorLine(out)).isEqualTo("dev.rerankers.CheckpointException: tensor x holds 2359296000 bytes");
    assertThat(BenchMain.errorLine("pyref failed (exit 1):\nTraceback (most recent call last):\n"
        + "ValueError: Using a `device_map` requires accelerate\n")).isEqualTo("ValueError: Using a `device_map` requires accelerate");
    Map<String, Object> failed = new LinkedHashMap<>(Map.of("error", "dev.rerankers.CheckpointException: too big"));
    assertThat(BenchMain.better(side(1, 1, 1, 1), failed)).doesNotContainKey("error");
    Results results = new Results(new LinkedHashMap<>());
    results.rows().put("broken-row", entry(failed, side(10, 25, 5.0, 600), 0.4, false));
    String md = Report.render(results, "");
    assertThat(md).contains("| broken-row |").contains("– / 10.0")
        .contains("- `broken-row`, java side failed: dev.rerankers.CheckpointException: too big");
  }

  static Map<String, Object> side(double varied, double uniform, double ttfr, double rss) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ttfr_s", ttfr);
    m.put("rss_peak_mb", rss);
    m.put("sets", Map.of("varied", Map.of("pairs_per_s", varied), "uniform", Map.of("pairs_per_s", uniform)));
    return m;
  }

  static Map<String, Object> entry(Map<String, Object> java, Map<String, Object> python, double load, boolean ttfrGoal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shape", "test shape");
    m.put("queries", 1);
    m.put("candidates", 10);
    m.put("ttfr_goal", ttfrGoal);
    m.put("java", java);
    m.put("python", python);
    m.put("load_min", load);
    m.put("load_max", load);
    m.put("threads", 2);
    m.put("machine", "test machine");
    m.put("command", "bin/rerankers-bench --only x");
    return m;
  }
}
