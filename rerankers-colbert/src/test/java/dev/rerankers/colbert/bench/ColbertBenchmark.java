package dev.rerankers.colbert.bench;

import dev.rerankers.Document;
import dev.rerankers.colbert.internal.LateInteractionScorer;
import dev.rerankers.colbert.internal.LoadedScorer;
import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Documents per second of the {@code colbert} ranker for a first query (every document encoded)
 * and a second query over the same candidates (document vectors from the cache), against Python
 * rerankers' own ColBERTRanker on the same checkpoint and texts through pyref, in the same run
 * with the same thread count. Python has no cache: its second query re-encodes everything, so the
 * table also times Python with the document vectors encoded once and reused by hand. Prints a
 * table. Not a test.
 *
 * <pre>
 * mvn -B -q -pl rerankers-colbert -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd rerankers-colbert &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.rerankers.colbert.bench.ColbertBenchmark --threads 1 --repeats 2 --documents 100
 * </pre>
 *
 * The checkpoint is a seeded random BERT the size of answerai-colbert-small-v1 (12 layers, hidden
 * 384, projection to 96), written once by src/test/python/bench_colbert.py into target/bench. The
 * workload is the first {@code --documents} SciFact abstracts (title + text, ~200-500 tokens) from
 * ../shared/data/scifact and its first two queries. Options: {@code --threads N} (intra-op threads
 * on both sides, default 1), {@code --repeats N} (best of N cold passes, at least 5 warm, default 2), {@code
 * --documents N} (default 100), {@code --no-python}, {@code --pyref PATH}.
 */
public final class ColbertBenchmark {
  private ColbertBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
    int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
    int n = Integer.parseInt(a.getOrDefault("documents", "100"));
    boolean python = !a.containsKey("no-python");
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

    Path shared = SharedData.root().orElseThrow(() -> new IllegalStateException("../shared is needed (scifact, pyref)"));
    Path pyref = Path.of(a.getOrDefault("pyref", shared.resolve("tools/pyref").toString()));
    Path testClasses = Path.of(ColbertBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path module = testClasses.getParent().getParent();
    Path work = module.resolve("target/bench");
    Path src = module.resolve("target/pysrc");
    Path script = module.resolve("src/test/python/bench_colbert.py");
    Files.createDirectories(work);
    Path model = work.resolve("colbert-small-bench");
    if (!Files.isDirectory(src.resolve("rerankers"))) {
      run(module, List.of(module.resolve("src/test/python/sources.sh").toString()));
    }
    if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
      run(module, List.of(pyref.toString(), "run", script.toString(), "model", src.toString(), model.toString()));
    }

    List<String> docs = new ArrayList<>();
    for (String line : Files.readAllLines(shared.resolve("data/scifact/corpus.jsonl"), StandardCharsets.UTF_8)) {
      if (docs.size() == n) {
        break;
      }
      Map<String, Object> d = map(Json.parse(line));
      docs.add(d.get("title") + " " + d.get("text"));
    }
    List<String> queries = new ArrayList<>();
    for (String line : Files.readAllLines(shared.resolve("data/scifact/queries.jsonl"), StandardCharsets.UTF_8)) {
      if (queries.size() == 2) {
        break;
      }
      queries.add((String) map(Json.parse(line)).get("text"));
    }

    Map<String, Object> py = null;
    if (python) {
      Path workload = work.resolve("workload.json");
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("model", model.toString());
      w.put("documents", docs);
      w.put("queries", queries);
      w.put("threads", threads);
      w.put("repeats", repeats);
      Files.writeString(workload, toJson(w), StandardCharsets.UTF_8);
      Path result = work.resolve("python-result.json");
      Files.deleteIfExists(result);
      run(module, List.of(pyref.toString(), "run", script.toString(), "bench", src.toString(), workload.toString(),
          result.toString()));
      py = map(Json.parse(Files.readString(result, StandardCharsets.UTF_8)));
    }

    List<Document> documents = new ArrayList<>();
    for (String d : docs) {
      documents.add(Document.of(documents.size(), d, null));
    }
    Time first = new Time();
    Time second = new Time();
    try (LateInteractionScorer scorer = LoadedScorer.of("colbert:" + model + "?batchSize=32&device=cpu")) {
      scorer.score(queries.get(0), documents.subList(0, Math.min(8, n))); // warm-up
      for (int r = 0; r < repeats; r++) {
        scorer.clearCache();
        first.add(() -> scorer.score(queries.get(0), documents));
      }
      for (int r = 0; r < Math.max(repeats, 5); r++) {
        second.add(() -> scorer.score(queries.get(1), documents));
      }
      if (scorer.stats().documentsFromCache() != (long) n * Math.max(repeats, 5)) {
        throw new IllegalStateException("the second queries should have used the cache: " + scorer.stats());
      }
    }

    System.out.printf(Locale.ROOT, "%nColBERT reranking, %d SciFact documents, random answerai-colbert-small-size "
        + "checkpoint (BERT 12x384, dim 96), CPU, %d intra-op thread(s); best of %d cold / %d warm passes.%n"
        + "docs/s by wall clock, and by process CPU time in brackets (robust on a shared machine)%n%n",
        n, threads, repeats, Math.max(repeats, 5));
    System.out.println("| | first query (cold) docs/s | second query, same documents, docs/s |");
    System.out.println("|---|---:|---:|");
    System.out.printf(Locale.ROOT, "| Java rerankers-colbert (cache) | %s | %s |%n", first.rate(n), second.rate(n));
    if (py != null) {
      Time pf = Time.of(map(py.get("first_query")));
      Time ps = Time.of(map(py.get("second_query")));
      Time pe = Time.of(map(py.get("encode_documents")));
      Time pr = Time.of(map(py.get("second_query_reusing_vectors")));
      System.out.printf(Locale.ROOT, "| Python rerankers ColBERTRanker.rank (no cache) | %s | %s |%n", pf.rate(n), ps.rate(n));
      System.out.printf(Locale.ROOT, "| Python, document vectors encoded once and reused by hand | %s | %s |%n",
          pe.rate(n), pr.rate(n));
      System.out.printf(Locale.ROOT, "| ratio Java / Python rank() | %s | %s |%n", pf.ratio(first), ps.ratio(second));
      System.out.printf(Locale.ROOT, "| ratio Java / Python reusing vectors | %s | %s |%n", pe.ratio(first), pr.ratio(second));
      System.out.printf(Locale.ROOT, "%nPython: torch %s, %s thread(s); Java: DJL PyTorch engine%n", py.get("torch"),
          py.get("threads"));
    }
  }

  /** Best wall-clock and best process-CPU seconds over several calls. */
  private static final class Time {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;

    static Time of(Map<String, Object> m) {
      Time t = new Time();
      t.wall = number(m, "wall_s");
      t.cpu = number(m, "cpu_s");
      return t;
    }

    void add(Supplier<?> call) {
      long w = System.nanoTime();
      long c = OS.getProcessCpuTime();
      call.get();
      cpu = Math.min(cpu, (OS.getProcessCpuTime() - c) / 1e9);
      wall = Math.min(wall, (System.nanoTime() - w) / 1e9);
    }

    String rate(int n) {
      return String.format(Locale.ROOT, "%.1f (%.1f)", n / wall, n / cpu);
    }

    /** How many times faster {@code java} is than this. */
    String ratio(Time java) {
      return String.format(Locale.ROOT, "%.2f (%.2f)", wall / java.wall, cpu / java.cpu);
    }
  }

  private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static double number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static String toJson(Object o) {
    if (o instanceof String s) {
      return Json.quote(s);
    }
    if (o instanceof Number || o instanceof Boolean) {
      return String.valueOf(o);
    }
    if (o instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(e -> parts.add(toJson(e)));
      return "[" + String.join(",", parts) + "]";
    }
    if (o instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, v) -> parts.add(Json.quote(String.valueOf(k)) + ":" + toJson(v)));
      return "{" + String.join(",", parts) + "}";
    }
    throw new UncheckedIOException(new IOException("cannot write " + o));
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String key = args[i].substring(2);
      if (key.startsWith("no-")) {
        m.put(key, "true");
      } else {
        m.put(key, args[++i]);
      }
    }
    return m;
  }
}
