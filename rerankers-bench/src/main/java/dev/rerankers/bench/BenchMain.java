package dev.rerankers.bench;

import dev.rerankers.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark runner: every local backend against its Python peer, back to back, on the same
 * model folder and inputs, with the same thread count; writes the table into {@code
 * docs/benchmarks.md} between {@code <!-- bench:table:begin -->} and {@code <!-- bench:table:end -->}
 * (nothing else in that file is touched) and keeps the measurements in {@code docs/benchmarks.json},
 * so a run of some rows updates only theirs.
 *
 * <pre>
 * bin/rerankers-bench                          # every row, the prefix sweep, fused attention (~20-25 min, 2 cores)
 * bin/rerankers-bench --smoke                  # the whole path on tiny models, ~2 min; docs untouched
 * bin/rerankers-bench --only cross-encoder-minilm-l6,dense-minilm-l6 --rounds 2
 * bin/rerankers-bench --list
 * </pre>
 *
 * Options: {@code --only ID,...} (rows, {@code prefix-sweep} or {@code fused-attention}), {@code --rounds N} (each round runs
 * both sides, order alternating; the best of each side is kept; default 1), {@code --repeats N}
 * (timed passes per set inside a side, best kept; default: the row's), {@code --threads N} (both
 * sides; default all CPUs), {@code --queries N} / {@code --candidates N} (override every row's),
 * {@code --no-python}, {@code --no-cds} (skip the AppCDS time-to-first-result runs of the rows with that goal),
 * {@code --quiet-cores X} (before each side, wait until other processes use fewer than X cores; default
 * 0.25) and {@code --quiet-wait M} (at most M minutes per side; default 20), {@code
 * --glibc-defaults} (do not set the MALLOC_* variables bin/rerankers sets; both sides get the same),
 * {@code --jvm-opts "..."}, {@code --shared DIR}, {@code --pyref PATH}, {@code --render} (only
 * rewrite the table from benchmarks.json), {@code --smoke} (tiny models of every family, one query, a
 * few candidates, one pass, no waiting for a quiet machine; results and the rendered page go to
 * {@code rerankers-bench/target/bench-work/smoke/}, docs/ is not touched).
 *
 * <p>The quiet rule is CPU accounting, not the load average (which the benchmark's own previous side
 * keeps up for minutes): before each side the runner samples /proc/stat (5 s) and waits until the
 * machine's busy CPU, less its own, is below {@code --quiet-cores}; during each side it counts the
 * machine's busy CPU less its own and the side's (a reaped child's time, /proc/self/stat cutime and
 * cstime). A row is marked measured under load when others used {@code --quiet-cores} or more during
 * any of its sides, or a wait ran out. The 1-minute load average is still recorded and shown.
 *
 * <p>Backends that record an ONNX graph on a model's first load ({@code cross-encoder}, {@code
 * colbert}, {@code pylate}) get a graph cache folder under the work folder; before their measured
 * sides one more Java process loads the model with that folder emptied (the first-ever load, which
 * records the graph) and its time to first result and peak RSS are kept as {@code java_cold}; the
 * measured sides then find the graph recorded, as every later start of a user's process does.
 */
public final class BenchMain {
  static final String PREFIX_SWEEP = "prefix-sweep";
  static final String SWEEP_MODEL = "qwen3-reranker-0.6b-shape";
  static final String FUSED = "fused-attention";
  /** The runtime of the fused-attention experiment's end-to-end line: libtorch, whose kernel it switches. */
  static final String FUSED_RUNTIME = "torch";
  private static final int FUSED_SECONDS = 60;
  /** Seconds to make one seeded model folder (Python start, init, save), for the duration estimate. */
  private static final int MAKE_SECONDS = 15;
  private static final int SWEEP_SECONDS = 60;

  private BenchMain() {}

  /** Runs the benchmark; see the class comment. */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    boolean smoke = a.containsKey("smoke");
    Path repo = Path.of(a.getOrDefault("repo", ".")).toAbsolutePath().normalize();
    Path bench = repo.resolve("rerankers-bench");
    Path work = Files.createDirectories(bench.resolve(smoke ? "target/bench-work/smoke" : "target/bench-work"));
    Path json = smoke ? work.resolve("benchmarks.json") : repo.resolve("docs/benchmarks.json");
    Path md = repo.resolve("docs/benchmarks.md");
    if (smoke) {
      Path copy = work.resolve("benchmarks.md");
      if (Files.isRegularFile(md)) {
        Files.copy(md, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      md = copy;
    }
    String banner = smoke ? "SMOKE RUN (tiny models, few pairs, machine possibly loaded): checks the runner's "
        + "plumbing; these figures are not results." : "";
    Results results = smoke ? new Results(new LinkedHashMap<>()) : Results.read(json);
    if (a.containsKey("list")) {
      Row.all().forEach(r -> System.out.println(r.id() + "  " + r.shape()));
      System.out.println(PREFIX_SWEEP + "  Java only: prefix cache on/off against document length");
      System.out.println(FUSED + "  Java only: eager vs fused attention per call, and the MiniLM-L6 row on/off");
      return;
    }
    if (a.containsKey("render")) {
      Report.write(md, results, banner);
      return;
    }
    Path shared = Path.of(a.getOrDefault("shared", System.getenv().getOrDefault("RERANKERS_SHARED",
        repo.resolveSibling("shared").toString()))).toRealPath();
    Path pyref = Path.of(a.getOrDefault("pyref", shared.resolve("tools/pyref").toString()));
    int threads = Integer.parseInt(a.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
    double quietCores = Double.parseDouble(a.getOrDefault("quiet-cores", Double.toString(Report.QUIET_CORES)));
    int quietWait = Integer.parseInt(a.getOrDefault("quiet-wait", smoke ? "0" : "20"));
    // the smoke run samples briefly: it does not wait, it only shows the plumbing
    Rule rule = new Rule(quietCores, quietWait, smoke ? 1 : 5);
    boolean python = !a.containsKey("no-python");
    Set<String> only = a.containsKey("only") ? new LinkedHashSet<>(List.of(a.get("only").split(","))) : null;
    List<Row> rows = new ArrayList<>();
    for (Row row : Row.all()) {
      if (only == null || only.contains(row.id())) {
        rows.add(smoke ? row.smoke() : row);
      }
    }
    boolean sweep = only == null || only.contains(PREFIX_SWEEP);
    boolean fused = only == null || only.contains(FUSED);
    Row fusedRow = smoke ? Row.all().get(0).smoke() : Row.all().get(0);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    if (!a.containsKey("glibc-defaults")) {
      env.put("MALLOC_MMAP_THRESHOLD_", "33554432");
      env.put("MALLOC_TRIM_THRESHOLD_", "1073741824");
      env.put("MALLOC_TOP_PAD_", "268435456");
    }
    Python py = new Python(pyref, bench.resolve("src/main/python"), shared, commonAncestor(repo.toRealPath(), shared), env);
    ModelStore models = new ModelStore(bench.resolve(smoke ? "target/bench-models-smoke" : "target/bench-models"), py,
        repo, smoke);
    List<String> needed = new ArrayList<>();
    for (Row row : rows) {
      if (!row.model().isEmpty()) {
        needed.add(row.model());
      }
      if (row.peerModel() != null && python) {
        needed.add(row.peerModel());
      }
    }
    if (sweep) {
      needed.add(SWEEP_MODEL);
    }
    if (fused) {
      needed.add(fusedRow.model());
    }
    String machine = Machine.describe();
    List<String> shown = new ArrayList<>(List.of(args));
    int repoAt = shown.indexOf("--repo");
    if (repoAt >= 0 && repoAt + 1 < shown.size()) {
      shown.subList(repoAt, repoAt + 2).clear();
    }
    String command = String.join(" ", List.of("bin/rerankers-bench", String.join(" ", shown))).trim();
    long toMake = models.missing(needed);
    int estimate = rows.stream().mapToInt(Row::estSeconds).sum() * rounds + (sweep ? (smoke ? 10 : SWEEP_SECONDS) : 0)
        + (fused ? (smoke ? 10 : FUSED_SECONDS) : 0) + (int) toMake * (smoke ? 3 : MAKE_SECONDS);
    System.out.printf(Locale.ROOT, "machine: %s; nproc %d; threads: %d; load average now: %s%n", machine,
        Runtime.getRuntime().availableProcessors(), threads, Machine.loadLine());
    System.out.printf(Locale.ROOT, "%d rows%s%s, %d model folder(s) to make first; expected duration on a quiet "
        + "2-core machine: about %d min%s%n", rows.size(), sweep ? " + the prefix sweep" : "",
        fused ? " + the fused-attention experiment" : "", toMake,
        Math.max(1, Math.round(estimate / 60.0)), quietWait > 0 ? " (plus any wait until others use < "
        + quietCores + " cores)" : "");
    long started = System.nanoTime();

    Path pysrc = bench.resolve("target/pysrc");
    if (python && !Files.isDirectory(pysrc.resolve("rerankers"))) {
      run(List.of(py.script("sources.sh").toString(), pysrc.toString()), repo, Map.of(), 600);
    }
    if (toMake > 0) {
      System.out.println("making model folders under " + models.dir() + " ...");
      models.ensureAll(needed);
      System.out.printf(Locale.ROOT, "model folders ready after %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "%n== %s: %s%n", row.id(), row.shape());
      int queries = Integer.parseInt(a.getOrDefault("queries", Integer.toString(row.queries())));
      int candidates = Integer.parseInt(a.getOrDefault("candidates", Integer.toString(row.candidates())));
      int repeats = Integer.parseInt(a.getOrDefault("repeats", Integer.toString(row.repeats())));
      int firstDocs = Math.min(row.firstDocs(), candidates);
      Path javaModel = row.model().isEmpty() ? null : models.ensure(row.model());
      Path peerModel = python ? models.ensure(row.peerModel() != null ? row.peerModel() : row.model()) : null;
      Workload w = row.images()
          ? Workload.images(shared.resolve("data/scifact"), work.resolve("images"), queries, candidates, firstDocs)
          : Workload.text(shared.resolve("data/scifact"), queries, candidates, firstDocs);
      Path workload = work.resolve(row.id() + "-workload.json");
      w.write(workload);
      // graph rows keep their graph in the work folder: emptied for the first-ever load, found by the measured sides
      Path graphs = work.resolve("graphs").resolve(row.id());
      String spec = row.type() + (javaModel == null ? "" : ":" + javaModel) + "?device=cpu" + row.javaOptions()
          + (row.type().equals("flashrank") || row.type().equals("dense")
              ? "&intraOpThreads=" + threads + "&interOpThreads=1" : "")
          + (row.recordsGraph() ? "&graphCache=" + graphs : "");
      String jvmOpts = a.getOrDefault("jvm-opts", "");
      Watch watch = new Watch(rule);
      Map<String, Object> cold = null;
      if (row.recordsGraph()) {
        try {
          cold = watch.side(() -> coldLoad(repo, work, row, spec, workload, graphs, threads, env, jvmOpts));
        } catch (IOException e) {
          cold = new LinkedHashMap<>();
          cold.put("error", errorLine(e.getMessage()));
        }
        System.out.println("java, first-ever load (records the graph): " + JsonOut.write(cold));
      }
      Map<String, String> recorded = GraphFiles.stamp(graphs);
      Map<String, Object> best = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        List<String> order = round % 2 == 0 ? List.of("python", "java") : List.of("java", "python");
        for (String side : order) {
          if (side.equals("python") && !python) {
            continue;
          }
          Map<String, Object> r;
          try {
            r = watch.side(() -> side.equals("java")
                ? javaSide(repo, work, row, spec, workload, repeats, threads, env, jvmOpts)
                : pythonSide(py, work, row, peerModel, pysrc, workload, repeats, threads));
          } catch (IOException e) {
            // one side failing (a model it cannot load) is a finding for the table, not the end of the run
            r = new LinkedHashMap<>();
            r.put("error", errorLine(e.getMessage()));
          }
          System.out.println(side + ": " + JsonOut.write(r));
          best.merge(side, r, (x, y) -> better(JsonOut.map(x), JsonOut.map(y)));
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      if (row.ttfrGoal() && !a.containsKey("no-cds") && best.get("java") != null
          && JsonOut.map(best.get("java")).get("error") == null) {
        try {
          entry.put("java_cds", watch.side(() -> appCds(repo, work, row, spec, workload, threads, env, jvmOpts)));
        } catch (IOException e) {
          System.out.println("AppCDS run skipped: " + e.getMessage());
        }
      }
      if (cold != null) {
        if (!recorded.isEmpty() && !recorded.equals(GraphFiles.stamp(graphs))) {
          // the measured sides were meant to find the graph recorded; say so if one recorded it again
          System.out.println("WARNING: the graph cache changed during the measured sides: " + graphs);
          cold.put("graph_rerecorded", true);
        }
        entry.put("java_cold", cold);
      }
      entry.put("shape", row.shape());
      entry.put("type", row.type());
      entry.put("pairs", Map.of("varied", w.pairs("varied"), "uniform", w.pairs("uniform")));
      entry.put("queries", queries);
      entry.put("candidates", candidates);
      entry.put("ttfr_goal", row.ttfrGoal());
      entry.put("java", best.get("java"));
      entry.put("python", best.get("python"));
      watch.into(entry);
      entry.put("threads", threads);
      entry.put("machine", machine);
      entry.put("date", LocalDate.now().toString());
      entry.put("rounds", rounds);
      entry.put("repeats", repeats);
      entry.put("allocator", env.containsKey("MALLOC_MMAP_THRESHOLD_") ? "MALLOC_* as bin/rerankers" : "glibc defaults");
      entry.put("command", "bin/rerankers-bench --only " + row.id() + (smoke ? " --smoke" : "") + " --rounds " + rounds
          + " --repeats " + repeats + " --threads " + threads);
      results.rows().put(row.id(), entry);
      results.write(json);
      Report.write(md, results, banner);
    }
    if (sweep) {
      System.out.printf(Locale.ROOT, "%n== %s%n", PREFIX_SWEEP);
      Path model = models.ensure(SWEEP_MODEL);
      int repeats = Integer.parseInt(a.getOrDefault("repeats", "1"));
      Watch watch = new Watch(rule);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("mode", PREFIX_SWEEP);
      spec.put("model", model.toString());
      spec.put("scifact", shared.resolve("data/scifact").toString());
      spec.put("lengths", smoke ? List.of(8, 32) : List.of(16, 64, 256, 512));
      spec.put("docs", smoke ? 2 : 8);
      spec.put("repeats", repeats);
      Map<String, Object> r = watch.side(() -> javaChild(repo, work, "prefix-sweep", spec, threads, env,
          a.getOrDefault("jvm-opts", "")));
      watch.into(r);
      r.put("threads", threads);
      r.put("machine", machine);
      r.put("date", LocalDate.now().toString());
      r.put("command", "bin/rerankers-bench --only " + PREFIX_SWEEP + (smoke ? " --smoke" : "") + " --repeats "
          + repeats + " --threads " + threads);
      System.out.println("prefix sweep: " + JsonOut.write(r));
      results.rows().put(PREFIX_SWEEP, r);
      results.write(json);
      Report.write(md, results, banner);
    }
    if (fused) {
      System.out.printf(Locale.ROOT, "%n== %s%n", FUSED);
      String jvmOpts = a.getOrDefault("jvm-opts", "");
      Watch watch = new Watch(rule);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("mode", FUSED);
      spec.put("iterations", smoke ? 2 : 20);
      Map<String, Object> r = watch.side(() -> javaChild(repo, work, FUSED, spec, threads, env, jvmOpts));
      // end to end: the MiniLM-L6 cross-encoder row's Java side with the fused path on, then off
      Path model = models.ensure(fusedRow.model());
      Workload w = Workload.text(shared.resolve("data/scifact"), fusedRow.queries(), fusedRow.candidates(),
          fusedRow.firstDocs());
      Path workload = work.resolve(FUSED + "-workload.json");
      w.write(workload);
      // the fused kernel is libtorch's: the row's default runtime (the ONNX graph) would not call it
      String spec1 = fusedRow.type() + ":" + model + "?device=cpu" + fusedRow.javaOptions() + "&runtime=" + FUSED_RUNTIME;
      Map<String, Object> e2e = new LinkedHashMap<>();
      Set<String> runtimes = new LinkedHashSet<>();
      for (boolean on : new boolean[] {true, false}) {
        Map<String, Object> side = watch.side(() -> javaSide(repo, work, fusedRow, spec1, workload, fusedRow.repeats(),
            threads, env, jvmOpts + " -Drerankers.fusedAttention=" + on));
        e2e.put(on ? "on" : "off", side.get("sets"));
        Object used = side.get("info") == null ? null : JsonOut.map(side.get("info")).get("runtime");
        if (!FUSED_RUNTIME.equals(used)) {
          System.out.println("WARNING: the fused-attention end-to-end side ran on runtime " + used + ", not "
              + FUSED_RUNTIME);
          runtimes.add(String.valueOf(used));
        }
        System.out.println("fused attention " + (on ? "on" : "off") + ": " + JsonOut.write(side.get("sets")));
      }
      r.put("e2e_row", fusedRow.id());
      // the runtime the sides reported (ranker info), so the page never claims libtorch for another one
      r.put("e2e_runtime", runtimes.isEmpty() ? FUSED_RUNTIME : String.join(",", runtimes));
      r.put("e2e", e2e);
      watch.into(r);
      r.put("threads", threads);
      r.put("machine", machine);
      r.put("date", LocalDate.now().toString());
      r.put("command", "bin/rerankers-bench --only " + FUSED + (smoke ? " --smoke" : "") + " --threads " + threads);
      System.out.println("fused attention: " + JsonOut.write(r));
      results.rows().put(FUSED, r);
      results.write(json);
      Report.write(md, results, banner);
    }
    System.out.printf(Locale.ROOT, "%nwrote %s (%s) in %.1f min; load average now: %s%n", md, command,
        (System.nanoTime() - started) / 60e9, Machine.loadLine());
  }

  /** The most telling line of a failed side's output: its last exception message, else its first line. */
  static String errorLine(String output) {
    String found = null;
    for (String line : String.valueOf(output).split("\n")) {
      String t = line.strip();
      if (t.matches("^(Exception in thread.*|[\\w.$]+(Exception|Error): .*)")) {
        found = t.replaceFirst("^Exception in thread \"[^\"]*\" ", "");
      }
    }
    String first = String.valueOf(output).split("\n")[0];
    String line = found != null ? found : first;
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /** The better of two results of one side: the higher rate per set, the lower time to first result. */
  static Map<String, Object> better(Map<String, Object> x, Map<String, Object> y) {
    if (x.get("error") != null || y.get("error") != null) {
      return x.get("error") == null ? x : y;
    }
    Map<String, Object> out = new LinkedHashMap<>(x);
    out.put("ttfr_s", Math.min(JsonOut.number(x, "ttfr_s"), JsonOut.number(y, "ttfr_s")));
    out.put("rss_peak_mb", Math.max(JsonOut.number(x, "rss_peak_mb"), JsonOut.number(y, "rss_peak_mb")));
    if (x.containsKey("others_cores") || y.containsKey("others_cores")) {
      // the side's figures are taken from both runs, so is the load they ran under (the worse)
      out.put("others_cores", Math.max(orZero(x, "others_cores"), orZero(y, "others_cores")));
    }
    Map<String, Object> sets = new LinkedHashMap<>(JsonOut.map(x.get("sets")));
    JsonOut.map(y.get("sets")).forEach((k, v) -> sets.merge(k, v, (p, q) ->
        JsonOut.number(JsonOut.map(p), "pairs_per_s") >= JsonOut.number(JsonOut.map(q), "pairs_per_s") ? p : q));
    out.put("sets", sets);
    return out;
  }

  private static double orZero(Map<String, Object> m, String key) {
    double v = JsonOut.number(m, key);
    return Double.isNaN(v) ? 0 : v;
  }

  private static Map<String, Object> javaSide(Path repo, Path work, Row row, String spec, Path workload, int repeats,
      int threads, Map<String, String> env, String jvmOpts) throws IOException, InterruptedException {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("spec", spec);
    s.put("workload", workload.toString());
    s.put("repeats", repeats);
    s.put("images", row.images());
    return javaChild(repo, work, row.id(), s, threads, env, jvmOpts);
  }

  /**
   * Time to first result with an application class-data sharing archive (AppCDS): one JVM records the
   * classes it loads up to the first answer ({@code -XX:ArchiveClassesAtExit}), a second starts from
   * that archive ({@code -XX:SharedArchiveFile}); the second's breakdown is returned. A JVM flag an
   * application can choose; the library needs nothing for it.
   */
  private static Map<String, Object> appCds(Path repo, Path work, Row row, String spec, Path workload, int threads,
      Map<String, String> env, String jvmOpts) throws IOException, InterruptedException {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (Files.isDirectory(Path.of(entry))) {
        throw new IOException("the class path has a directory (" + entry + "); AppCDS archives need jars only "
            + "(bin/rerankers-bench runs from jars)");
      }
    }
    Path jsa = work.resolve(row.id() + ".jsa");
    Files.deleteIfExists(jsa);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("spec", spec);
    s.put("workload", workload.toString());
    s.put("sets", List.of());
    s.put("images", row.images());
    javaChild(repo, work, row.id() + "-cds", s, threads, env, jvmOpts + " -XX:ArchiveClassesAtExit=" + jsa);
    Map<String, Object> r = javaChild(repo, work, row.id() + "-cds", s, threads, env,
        jvmOpts + " -XX:SharedArchiveFile=" + jsa);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("main_at_s", "loaded_at_s", "ttfr_s")) {
      out.put(k, r.get(k));
    }
    System.out.println("java with AppCDS: " + JsonOut.write(out));
    return out;
  }

  /**
   * The first-ever load of a model that records its graph: the row's graph folder emptied, then one JVM
   * loads the model (recording the graph into that folder) and ranks the first call; its time to first
   * result, the breakdown, its peak RSS and the recorded graph's size are returned.
   */
  static Map<String, Object> coldLoad(Path repo, Path work, Row row, String spec, Path workload, Path graphs,
      int threads, Map<String, String> env, String jvmOpts) throws IOException, InterruptedException {
    GraphFiles.empty(work, graphs);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("spec", spec);
    s.put("workload", workload.toString());
    s.put("sets", List.of());
    s.put("images", row.images());
    Map<String, Object> r = javaChild(repo, work, row.id() + "-cold", s, threads, env, jvmOpts);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("main_at_s", "loaded_at_s", "ttfr_s", "rss_peak_mb")) {
      out.put(k, r.get(k));
    }
    double mb = GraphFiles.megabytes(graphs);
    out.put("graph_mb", mb);
    if (mb <= 0) {
      System.out.println("WARNING: the first load recorded no graph under " + graphs + " (runtime not onnx?)");
    }
    return out;
  }

  /** The quiet rule: others' cores allowed before and during a side, minutes to wait at most, seconds per sample. */
  record Rule(double maxCores, int maxMinutes, double sampleSeconds) {}

  /** One measured child run (a side, or a section's experiment). */
  @FunctionalInterface
  interface SideRun {
    Map<String, Object> run() throws IOException, InterruptedException;
  }

  /**
   * What the quiet rule saw around the sides of one row or section: before each side it waits for a
   * quiet machine ({@link Machine#waitQuiet}), during it counts others' CPU ({@link Machine#othersCores});
   * the 1-minute load averages are kept for the table, not judged.
   */
  static final class Watch {
    private final Rule rule;
    private final List<Double> loads = new ArrayList<>();
    private double othersMax = Double.NaN;
    private boolean timedOut;

    Watch(Rule rule) {
      this.rule = rule;
    }

    /** Waits for a quiet machine, runs the side, and adds the cores others used meanwhile to its result. */
    Map<String, Object> side(SideRun run) throws IOException, InterruptedException {
      Machine.Quiet q = Machine.waitQuiet(rule.maxCores(), rule.maxMinutes(), rule.sampleSeconds());
      loads.add(q.load());
      timedOut |= q.timedOut();
      Machine.Cpu before = Machine.cpu();
      boolean done = false;
      try {
        Map<String, Object> r = run.run();
        double others = during(Machine.othersCores(before, Machine.cpu()));
        done = true;
        r.put("others_cores", others);
        return r;
      } finally {
        if (!done) {
          during(Machine.othersCores(before, Machine.cpu()));
        }
      }
    }

    /** Records others' cores during one side (and the load average after it); returns the value. */
    double during(double others) {
      if (!Double.isNaN(others)) {
        othersMax = Double.isNaN(othersMax) ? others : Math.max(othersMax, others);
      }
      loads.add(Machine.load());
      System.out.printf(Locale.ROOT, "others' CPU during the side: %.2f cores%n", others);
      return others;
    }

    /** Puts the row's readings into its entry: load range, others' cores (max), the rule, whether a wait ran out. */
    void into(Map<String, Object> entry) {
      entry.put("load_min", loads.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).min()
          .orElse(Double.NaN));
      entry.put("load_max", loads.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).max()
          .orElse(Double.NaN));
      entry.put("others_cores_max", othersMax);
      entry.put("quiet_cores", rule.maxCores());
      entry.put("quiet_timed_out", timedOut);
    }
  }

  /** Runs {@link JavaSide} in a fresh JVM with this JVM's class path. */
  static Map<String, Object> javaChild(Path repo, Path work, String id, Map<String, Object> spec, int threads,
      Map<String, String> env, String jvmOpts) throws IOException, InterruptedException {
    Path specFile = work.resolve(id + "-java-spec.json");
    Path result = work.resolve(id + "-java-result.json");
    Files.writeString(specFile, JsonOut.write(spec), StandardCharsets.UTF_8);
    Files.deleteIfExists(result);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : jvmOpts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dai.djl.pytorch.num_threads=" + threads,
        "-Dai.djl.pytorch.num_interop_threads=1", "-DOPT_OUT_TRACKING=true", "-Dai.djl.offline=true",
        JavaSide.class.getName(), specFile.toString(), result.toString()));
    run(cmd, repo, env, 7200);
    return JsonOut.map(Json.parse(Files.readString(result, StandardCharsets.UTF_8)));
  }

  private static Map<String, Object> pythonSide(Python py, Path work, Row row, Path model, Path pysrc, Path workload,
      int repeats, int threads) throws IOException, InterruptedException {
    Map<String, Object> s = new LinkedHashMap<>(row.pythonExtras());
    s.put("family", row.family());
    s.put("model", model.toString());
    s.put("threads", threads);
    s.put("repeats", repeats);
    s.put("batch_size", row.pythonBatch());
    s.put("workload", workload.toString());
    s.put("src", pysrc.toString());
    Path specFile = work.resolve(row.id() + "-python-spec.json");
    Path result = work.resolve(row.id() + "-python-result.json");
    Files.writeString(specFile, JsonOut.write(s), StandardCharsets.UTF_8);
    Files.deleteIfExists(result);
    py.run(List.of(py.script("peer.py").toString(), specFile.toString(), result.toString()), 7200);
    return JsonOut.map(Json.parse(Files.readString(result, StandardCharsets.UTF_8)));
  }

  static void run(List<String> cmd, Path dir, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("rerankers-bench", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " ran past " + timeoutSeconds + " s; its output: " + log);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(cmd.get(0) + " ... " + cmd.get(cmd.size() - 1) + " failed (exit " + p.exitValue() + "):\n"
          + Python.tail(out));
    }
    Files.delete(log);
  }

  /** The deepest folder holding both (pyref binds its working folder into the chroot). */
  static Path commonAncestor(Path a, Path b) {
    Path p = a;
    while (p != null && !b.startsWith(p)) {
      p = p.getParent();
    }
    return p == null ? a.getRoot() : p;
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    Set<String> flags = Set.of("no-python", "glibc-defaults", "list", "render", "smoke", "no-cds");
    Set<String> valued = Set.of("repo", "only", "rounds", "repeats", "threads", "queries", "candidates", "quiet-cores",
        "quiet-wait", "jvm-opts", "shared", "pyref");
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (options start with --; see --list)");
      }
      String key = args[i].substring(2);
      if (key.equals("quiet-load")) {
        throw new IllegalArgumentException("--quiet-load is gone: the quiet rule is others' CPU now, not the load "
            + "average (which the benchmark's own sides raise); use --quiet-cores X (default 0.25)");
      }
      if (!flags.contains(key) && !valued.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + " (see BenchMain's javadoc or bin/rerankers-bench)");
      }
      if (flags.contains(key)) {
        m.put(key, "true");
      } else if (i + 1 < args.length) {
        m.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
    }
    return m;
  }
}
