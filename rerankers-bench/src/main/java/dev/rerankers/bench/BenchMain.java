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
 * {@code --quiet-load X} (wait until the 1-minute load average is below X;
 * default 1.0) and {@code --quiet-wait M} (at most M minutes per side; default 20), {@code
 * --glibc-defaults} (do not set the MALLOC_* variables bin/rerankers sets; both sides get the same),
 * {@code --jvm-opts "..."}, {@code --shared DIR}, {@code --pyref PATH}, {@code --render} (only
 * rewrite the table from benchmarks.json), {@code --smoke} (tiny models of every family, one query, a
 * few candidates, one pass, no waiting for a quiet machine; results and the rendered page go to
 * {@code rerankers-bench/target/bench-work/smoke/}, docs/ is not touched).
 */
public final class BenchMain {
  static final String PREFIX_SWEEP = "prefix-sweep";
  static final String SWEEP_MODEL = "qwen3-reranker-0.6b-shape";
  static final String FUSED = "fused-attention";
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
    double quietLoad = Double.parseDouble(a.getOrDefault("quiet-load", "1.0"));
    int quietWait = Integer.parseInt(a.getOrDefault("quiet-wait", smoke ? "0" : "20"));
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
        Math.max(1, Math.round(estimate / 60.0)), quietWait > 0 ? " (plus any wait for a 1-minute load average < "
        + quietLoad + ")" : "");
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
      String spec = row.type() + (javaModel == null ? "" : ":" + javaModel) + "?device=cpu" + row.javaOptions()
          + (row.type().equals("flashrank") || row.type().equals("dense")
              ? "&intraOpThreads=" + threads + "&interOpThreads=1" : "");
      Map<String, Object> best = new LinkedHashMap<>();
      List<Double> loads = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<String> order = round % 2 == 0 ? List.of("python", "java") : List.of("java", "python");
        for (String side : order) {
          if (side.equals("python") && !python) {
            continue;
          }
          loads.add(Machine.waitQuiet(quietLoad, quietWait));
          Map<String, Object> r;
          try {
            r = side.equals("java")
                ? javaSide(repo, work, row, spec, workload, repeats, threads, env, a.getOrDefault("jvm-opts", ""))
                : pythonSide(py, work, row, peerModel, pysrc, workload, repeats, threads);
          } catch (IOException e) {
            // one side failing (a model it cannot load) is a finding for the table, not the end of the run
            r = new LinkedHashMap<>();
            r.put("error", errorLine(e.getMessage()));
          }
          loads.add(Machine.load());
          System.out.println(side + ": " + JsonOut.write(r));
          best.merge(side, r, (x, y) -> better(JsonOut.map(x), JsonOut.map(y)));
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      if (row.ttfrGoal() && !a.containsKey("no-cds") && best.get("java") != null
          && JsonOut.map(best.get("java")).get("error") == null) {
        try {
          entry.put("java_cds", appCds(repo, work, row, spec, workload, threads, env, a.getOrDefault("jvm-opts", "")));
        } catch (IOException e) {
          System.out.println("AppCDS run skipped: " + e.getMessage());
        }
      }
      entry.put("shape", row.shape());
      entry.put("type", row.type());
      entry.put("pairs", Map.of("varied", w.pairs("varied"), "uniform", w.pairs("uniform")));
      entry.put("queries", queries);
      entry.put("candidates", candidates);
      entry.put("ttfr_goal", row.ttfrGoal());
      entry.put("java", best.get("java"));
      entry.put("python", best.get("python"));
      entry.put("load_min", loads.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
      entry.put("load_max", loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
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
      double before = Machine.waitQuiet(quietLoad, quietWait);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("mode", PREFIX_SWEEP);
      spec.put("model", model.toString());
      spec.put("scifact", shared.resolve("data/scifact").toString());
      spec.put("lengths", smoke ? List.of(8, 32) : List.of(16, 64, 256, 512));
      spec.put("docs", smoke ? 2 : 8);
      spec.put("repeats", repeats);
      Map<String, Object> r = javaChild(repo, work, "prefix-sweep", spec, threads, env, a.getOrDefault("jvm-opts", ""));
      r.put("load_min", Math.min(before, Machine.load()));
      r.put("load_max", Math.max(before, Machine.load()));
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
      double before = Machine.waitQuiet(quietLoad, quietWait);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("mode", FUSED);
      spec.put("iterations", smoke ? 2 : 20);
      Map<String, Object> r = javaChild(repo, work, FUSED, spec, threads, env, jvmOpts);
      // end to end: the MiniLM-L6 cross-encoder row's Java side with the fused path on, then off
      Path model = models.ensure(fusedRow.model());
      Workload w = Workload.text(shared.resolve("data/scifact"), fusedRow.queries(), fusedRow.candidates(),
          fusedRow.firstDocs());
      Path workload = work.resolve(FUSED + "-workload.json");
      w.write(workload);
      String spec1 = fusedRow.type() + ":" + model + "?device=cpu" + fusedRow.javaOptions();
      Map<String, Object> e2e = new LinkedHashMap<>();
      for (boolean on : new boolean[] {true, false}) {
        Map<String, Object> side = javaSide(repo, work, fusedRow, spec1, workload, fusedRow.repeats(), threads, env,
            jvmOpts + " -Drerankers.fusedAttention=" + on);
        e2e.put(on ? "on" : "off", side.get("sets"));
        System.out.println("fused attention " + (on ? "on" : "off") + ": " + JsonOut.write(side.get("sets")));
      }
      r.put("e2e_row", fusedRow.id());
      r.put("e2e", e2e);
      r.put("load_min", Math.min(before, Machine.load()));
      r.put("load_max", Math.max(before, Machine.load()));
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
    Map<String, Object> sets = new LinkedHashMap<>(JsonOut.map(x.get("sets")));
    JsonOut.map(y.get("sets")).forEach((k, v) -> sets.merge(k, v, (p, q) ->
        JsonOut.number(JsonOut.map(p), "pairs_per_s") >= JsonOut.number(JsonOut.map(q), "pairs_per_s") ? p : q));
    out.put("sets", sets);
    return out;
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
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (options start with --; see --list)");
      }
      String key = args[i].substring(2);
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
