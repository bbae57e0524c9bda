package dev.rerankers.spark.bench;

import dev.rerankers.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput of rerankers-spark on one machine: a synthetic job of Q x D pairs (every query with
 * every document; 100 x 1,000 = 100,000 by default) built from BEIR SciFact texts, run by
 * {@code bin/rerankers-spark} on {@code local[1]} and {@code local[2]}, against the single-process
 * command line ({@code bin/rerankers eval --first-stage all}) on the same pairs. Every
 * configuration is a fresh JVM; rounds alternate their order; before each timed run the harness
 * waits (up to {@code --wait-minutes}) for the 1-minute load average to drop below {@code
 * --max-load}, and prints the load with each figure. Not a test.
 *
 * <p>Run it with {@code bin/rerankers-spark-bench} (which adds {@code --smoke} and writes the
 * figures into docs/spark.md); by hand:
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl rerankers-spark -am
 * java -cp rerankers-spark/target/test-classes:rerankers-core/target/classes \
 *     dev.rerankers.spark.bench.SparkBenchmark --rounds 1
 * </pre>
 *
 * Options: {@code --dataset DIR} (default ../shared/data/scifact), {@code --queries N} and {@code
 * --docs N} (default 100 and 1000), {@code --model SPEC} (default the golden tiny BERT
 * cross-encoder of the tests with maxLength=64: cheap per pair, so the figures show the pipeline
 * more than the model), {@code --rounds N} (default 1), {@code --max-load X} (1.0), {@code
 * --wait-minutes N} (20), {@code --budget-minutes N} (0: none; rounds after the first run only
 * while the run time so far says they end within it), {@code --work DIR} (rerankers-spark/target/bench), {@code --doc FILE}
 * (a page whose {@code <!-- bench:spark:begin -->} / {@code <!-- bench:spark:end -->} block gets
 * the figures), {@code --label TEXT} (a bold line above them) and {@code --command TEXT} (the
 * rerun command shown under them). PyTorch and ONNX Runtime run one intra-op thread per call in
 * every configuration ({@code -Dai.djl.pytorch.num_threads=1}, and {@code intraOpThreads=1} in the
 * default spec for the ONNX graph the cross-encoder runs on the CPU by default), so local[N] uses N
 * cores and the command line one.
 */
public final class SparkBenchmark {
  private static final Pattern JOB = Pattern.compile("reranked (\\d+) rows of (\\d+) queries with .* in ([0-9.]+) s");

  private SparkBenchmark() {}

  record Figure(String config, int round, long pairs, double wallSeconds, double toolSeconds, double loadBefore,
      double loadAfter) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("bin/rerankers-spark"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("run from inside the repository (bin/rerankers-spark not found above " + Path.of("").toAbsolutePath() + ")");
    }
    Path dataset = Path.of(a.getOrDefault("dataset", root.resolveSibling("shared").resolve("data/scifact").toString()));
    int nq = Integer.parseInt(a.getOrDefault("queries", "100"));
    int nd = Integer.parseInt(a.getOrDefault("docs", "1000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
    double maxLoad = Double.parseDouble(a.getOrDefault("max-load", "1.0"));
    int waitMinutes = Integer.parseInt(a.getOrDefault("wait-minutes", "20"));
    String model = a.getOrDefault("model",
        "cross-encoder:" + root.resolve("rerankers-spark/src/test/resources/golden/bert") + "?maxLength=64&intraOpThreads=1");
    Path work = Path.of(a.getOrDefault("work", root.resolve("rerankers-spark/target/bench").toString())).toAbsolutePath();
    Files.createDirectories(work);

    String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
    long pairs = prepare(dataset, nq, nd, work);
    System.out.printf(Locale.ROOT, "%d pairs (%d SciFact queries x %d documents) in %s; model %s%n",
        pairs, nq, nd, work, model);
    String threads = "-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1";
    List<String> configs = List.of("cli", "local[1]", "local[2]");
    List<Figure> figures = new ArrayList<>();
    // the time budget counts the runs, not the waits for a quiet machine: a round that would end past it is skipped
    double budgetSeconds = Double.parseDouble(a.getOrDefault("budget-minutes", "0")) * 60;
    double runSeconds = 0;
    int roundsRun = 0;
    for (int r = 1; r <= rounds; r++) {
      if (budgetSeconds > 0 && r > 1 && runSeconds / (r - 1) * r > budgetSeconds) {
        System.out.printf(Locale.ROOT, "round %d skipped: %d round(s) took %.0f s, one more would pass the %.0f s budget%n",
            r, r - 1, runSeconds, budgetSeconds);
        break;
      }
      roundsRun = r;
      List<String> order = new ArrayList<>(configs);
      if (r % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (String config : order) {
        double before = waitForQuiet(maxLoad, waitMinutes);
        List<String> cmd = new ArrayList<>();
        if (config.equals("cli")) {
          cmd.addAll(List.of(root.resolve("bin/rerankers").toString(), "eval", "--dataset", work.resolve("beir").toString(),
              "--first-stage", "all", "--rerankers", model, "--warmup", "0", "--no-progress"));
        } else {
          cmd.addAll(List.of(root.resolve("bin/rerankers-spark").toString(), "--master", config, "--model", model,
              "--input", work.resolve("pairs.jsonl").toString(), "--output", work.resolve("out").toString(),
              "--overwrite"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(work.resolve(config.replaceAll("[^a-z0-9]", "") + "-" + r + ".log").toFile());
        pb.environment().put("RERANKERS_JAVA_OPTS", threads + " -Xmx4g");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
          throw new IllegalStateException(config + " failed; see " + work.resolve(config.replaceAll("[^a-z0-9]", "") + "-" + r + ".log"));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String log = Files.readString(work.resolve(config.replaceAll("[^a-z0-9]", "") + "-" + r + ".log"));
        double tool = config.equals("cli") ? cliSeconds(log, pairs) : jobSeconds(log);
        Figure f = new Figure(config, r, pairs, wall, tool, before, load());
        figures.add(f);
        runSeconds += wall;
        System.out.printf(Locale.ROOT, "round %d %-9s wall %7.1f s %8.0f pairs/s | own figure %7.1f s %8.0f pairs/s | load %.2f -> %.2f%n",
            r, config, wall, pairs / wall, tool, pairs / tool, f.loadBefore(), f.loadAfter());
      }
    }
    Map<String, Figure> best = new LinkedHashMap<>();
    for (String c : configs) {
      for (Figure f : figures) {
        if (f.config().equals(c) && (!best.containsKey(c) || f.wallSeconds() < best.get(c).wallSeconds())) {
          best.put(c, f);
        }
      }
    }
    String block = block(best, pairs, nq, nd, roundsRun, model, a.get("label"), a.get("command"), loadBefore);
    System.out.println();
    System.out.print(block);
    if (a.containsKey("doc")) {
      Path doc = root.resolve(a.get("doc"));
      writeBetweenMarkers(doc, "spark", block);
      System.out.println("wrote the figures into " + doc + " (between the bench:spark markers)");
    }
  }

  /** The figures as Markdown: what ran, where, under which load, the table and the scaling factors. */
  static String block(Map<String, Figure> best, long pairs, int nq, int nd, int rounds, String model, String label,
      String command, String loadBefore) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (label != null && !label.isBlank()) {
      sb.append("**").append(label).append("**\n\n");
    }
    sb.append(String.format(Locale.ROOT, "%s; %d CPUs (nproc), %s; load average before the run %s.%n",
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
        Runtime.getRuntime().availableProcessors(), cpuModel(), loadBefore));
    sb.append(String.format(Locale.ROOT, "%,d pairs (%d SciFact queries x %,d documents, every query with every document),"
        + " model `%s`, one intra-op thread per model call; best of %d round(s), rounds alternating the order.%n%n",
        pairs, nq, nd, shortModel(model), rounds));
    sb.append("| configuration | task threads | pairs | wall s | pairs/s (wall) | job s | pairs/s (job) | load 1-min before / after |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Figure f : best.values()) {
      String name = f.config().equals("cli") ? "`bin/rerankers eval` (one process)" : "`bin/rerankers-spark --master " + f.config() + "`";
      String threads = f.config().equals("local[2]") ? "2" : "1";
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.0f | %.1f | %.0f | %.2f / %.2f |%n", name, threads,
          f.pairs(), f.wallSeconds(), f.pairs() / f.wallSeconds(), f.toolSeconds(), f.pairs() / f.toolSeconds(),
          f.loadBefore(), f.loadAfter()));
    }
    Figure one = best.get("local[1]");
    Figure two = best.get("local[2]");
    Figure cli = best.get("cli");
    sb.append(String.format(Locale.ROOT, "%nScaling local[2] / local[1]: %.2fx (wall), %.2fx (job). local[2] / the command line:"
        + " %.2fx (wall), %.2fx (job vs its ranking time).%n",
        one.wallSeconds() / two.wallSeconds(), one.toolSeconds() / two.toolSeconds(), cli.wallSeconds() / two.wallSeconds(),
        cli.toolSeconds() / two.toolSeconds()));
    sb.append("\n\"wall\": the whole command, JVM start and model load included. \"job\": RerankJob's own figure (read, shuffle,"
        + " score, write) for Spark; the command line's ranking time (pairs / its docs/s) for `bin/rerankers eval`.\n");
    if (command != null && !command.isBlank()) {
      sb.append("\nRerun, from the repository root after `mvn -B -o verify`: `").append(command).append("`\n");
    }
    return sb.toString();
  }

  /** Replaces the lines between {@code <!-- bench:NAME:begin -->} and {@code <!-- bench:NAME:end -->}; keeps the rest. */
  static void writeBetweenMarkers(Path doc, String name, String block) throws IOException {
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    String begin = "<!-- bench:" + name + ":begin -->";
    String end = "<!-- bench:" + name + ":end -->";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalStateException(doc + " has no " + begin + " ... " + end + " markers");
    }
    String updated = text.substring(0, b + begin.length()) + "\n" + block + (block.endsWith("\n") ? "" : "\n")
        + text.substring(e);
    Files.writeString(doc, updated, StandardCharsets.UTF_8);
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: say so below
    }
    return "CPU model unknown";
  }

  /** The model spec without this checkout's absolute path. */
  static String shortModel(String model) {
    Path cwd = Path.of("").toAbsolutePath();
    return model.replace(cwd + "/", "");
  }

  /** Writes beir/ (corpus, queries, qrels: the command line's input) and pairs.jsonl (Spark's); returns the pair count. */
  static long prepare(Path dataset, int nq, int nd, Path work) throws IOException {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    List<String> qrelLines = Files.readAllLines(dataset.resolve("qrels/test.tsv"));
    for (String line : qrelLines.subList(1, qrelLines.size())) {
      String[] f = line.split("\t");
      qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2].strip()));
    }
    Map<String, String> queries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dataset.resolve("queries.jsonl"))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> q = (Map<String, Object>) Json.parse(line);
      if (qrels.containsKey((String) q.get("_id")) && queries.size() < nq) {
        queries.put((String) q.get("_id"), (String) q.get("text"));
      }
    }
    Map<String, Map<String, Object>> corpus = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dataset.resolve("corpus.jsonl"))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) Json.parse(line);
      corpus.put((String) d.get("_id"), d);
    }
    // the judged documents of the chosen queries, then the corpus in order, up to nd
    Set<String> docs = new LinkedHashSet<>();
    for (String q : queries.keySet()) {
      for (String d : qrels.get(q).keySet()) {
        if (corpus.containsKey(d) && docs.size() < nd) {
          docs.add(d);
        }
      }
    }
    for (String d : corpus.keySet()) {
      if (docs.size() >= nd) {
        break;
      }
      docs.add(d);
    }
    Path beir = work.resolve("beir");
    Files.createDirectories(beir.resolve("qrels"));
    try (BufferedWriter c = Files.newBufferedWriter(beir.resolve("corpus.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter q = Files.newBufferedWriter(beir.resolve("queries.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter j = Files.newBufferedWriter(beir.resolve("qrels/test.tsv"), StandardCharsets.UTF_8);
        BufferedWriter p = Files.newBufferedWriter(work.resolve("pairs.jsonl"), StandardCharsets.UTF_8)) {
      for (String d : docs) {
        Map<String, Object> doc = corpus.get(d);
        c.write("{\"_id\": " + Json.quote(d) + ", \"title\": " + Json.quote((String) doc.get("title")) + ", \"text\": "
            + Json.quote((String) doc.get("text")) + "}\n");
      }
      j.write("query-id\tcorpus-id\tscore\n");
      long n = 0;
      for (Map.Entry<String, String> e : queries.entrySet()) {
        q.write("{\"_id\": " + Json.quote(e.getKey()) + ", \"text\": " + Json.quote(e.getValue()) + "}\n");
        for (Map.Entry<String, Integer> r : qrels.get(e.getKey()).entrySet()) {
          if (docs.contains(r.getKey())) {
            j.write(e.getKey() + "\t" + r.getKey() + "\t" + r.getValue() + "\n");
          }
        }
        for (String d : docs) {
          Map<String, Object> doc = corpus.get(d);
          // the text the command line ranks: CorpusDoc.fullText(), title and text on one line
          String text = (doc.get("title") + " " + doc.get("text")).strip();
          p.write("{\"query_id\": " + Json.quote(e.getKey()) + ", \"query\": " + Json.quote(e.getValue())
              + ", \"doc_id\": " + Json.quote(d) + ", \"text\": " + Json.quote(text) + "}\n");
          n++;
        }
      }
      return n;
    }
  }

  static double jobSeconds(String log) {
    Matcher m = JOB.matcher(log);
    if (!m.find()) {
      throw new IllegalStateException("no summary line in the job's output");
    }
    return Double.parseDouble(m.group(3));
  }

  /** The command line's ranking time: documents ranked / its docs/s column. */
  static double cliSeconds(String log, long pairs) {
    for (String line : log.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| reranker") && !line.startsWith("| first-stage")) {
        String[] cells = line.split("\\|");
        double docsPerSecond = Double.parseDouble(cells[9].strip());
        return pairs / docsPerSecond;
      }
    }
    throw new IllegalStateException("no ranker row in the command line's report");
  }

  static double load() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  static double waitForQuiet(double maxLoad, int minutes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    double l = load();
    while (l > maxLoad && System.nanoTime() < deadline) {
      System.out.printf(Locale.ROOT, "load %.2f > %.2f; waiting%n", l, maxLoad);
      Thread.sleep(60_000);
      l = load();
    }
    if (l > maxLoad) {
      System.out.printf(Locale.ROOT, "load still %.2f after %d minutes: this run is NOT a quiet-machine figure%n", l, minutes);
    }
    return l;
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }
}
