package dev.rerankers.flashrank.bench;

import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs per second of a MiniLM-size ONNX cross-encoder (12 layers, hidden 384, as FlashRank's
 * ms-marco-MiniLM-L-12-v2; int8 like the file FlashRank ships, or fp32) in this module versus
 * Python onnxruntime + tokenizers doing what FlashRank does (bench_flashrank.py through pyref), in
 * the same run with the same thread count; plus dense (all-MiniLM-L6-v2) throughput with a cold and
 * a warm document-embedding cache. Prints a table. Not a test.
 *
 * <pre>
 * mvn -B -q -pl rerankers-flashrank -am test-compile
 * mvn -B -q -pl rerankers-flashrank exec:java -Dexec.mainClass=dev.rerankers.flashrank.bench.FlashRankBenchmark \
 *     -Dexec.args="--threads 1 --repeats 3 --precision int8"
 * </pre>
 *
 * Options: {@code --threads N} (intra-op threads on both sides, default 1), {@code --repeats N}
 * (rounds, each one timed pass of Python then of every Java configuration, after a warm-up; the
 * best pass of each is kept, default 3), {@code --queries N} and {@code --passages
 * N} (SciFact queries and passages per query, default 4 and 32), {@code --precision int8|fp32},
 * {@code --pyref PATH} (default ../shared/tools/pyref), {@code --no-python}.
 *
 * <p>Workloads from ../shared/data/scifact: "varied" mixes full abstracts (~250-500 tokens, cut
 * at 512) with titles alone (~20 tokens); "uniform" gives every passage its first 48 words.
 */
public final class FlashRankBenchmark {
  private FlashRankBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
    int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
    int nq = Integer.parseInt(a.getOrDefault("queries", "4"));
    int np = Integer.parseInt(a.getOrDefault("passages", "32"));
    String precision = a.getOrDefault("precision", "int8");
    String onnx = precision.equals("fp32") ? "flashrank-MiniLM-L-12-v2.onnx" : "flashrank-MiniLM-L-12-v2_Q.onnx";
    Path shared = SharedData.root().orElseThrow(() -> new IllegalStateException("../shared is needed (scifact, pyref)"));
    Path pyref = Path.of(a.getOrDefault("pyref", shared.resolve("tools/pyref").toString()));
    Path testClasses = Path.of(FlashRankBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path moduleDir = testClasses.getParent().getParent();
    Path work = testClasses.getParent().resolve("bench");
    Files.createDirectories(work);
    Path model = work.resolve("minilm-l12-ce");

    if (!Files.isRegularFile(model.resolve(onnx))) {
      Path tok = work.resolve("bert-base-uncased-tokenizer.json");
      try (InputStream in = FlashRankBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
        Files.copy(in, tok, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      run(moduleDir, List.of(pyref.toString(), "run", testClasses.resolve("bench/make_bench_model.py").toString(),
          model.toString(), tok.toString()));
    }

    Map<String, List<Map<String, Object>>> workloads = workloads(shared.resolve("data/scifact"), nq, np);
    Path workload = work.resolve("workload.json");
    Files.writeString(workload, toJson(workloads));

    String session = "intraOpThreads=" + threads + "&interOpThreads=1";
    String base = "flashrank:" + model + "?file=" + onnx + "&" + session;
    List<String[]> configs = List.of(
        new String[] {"java, one batch per query in input order (FlashRank's batching)", "&batchSize=100000&sortByLength=false"},
        new String[] {"java, batches of 32 sorted by length", "&batchSize=32"},
        new String[] {"java, batches of 16 sorted by length", "&batchSize=16"},
        new String[] {"java, batches of 8 sorted by length", "&batchSize=8"});
    // rounds alternate Python and Java so that both see the same machine load; the best pass is kept
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, Object> pyInfo = Map.of();
    List<Reranker> rankers = new ArrayList<>();
    try {
      for (String[] c : configs) {
        Reranker r = Reranker.load(base + c[1]);
        rankers.add(r);
        for (List<Map<String, Object>> w : workloads.values()) {
          pass(r, w); // warm-up
        }
      }
      for (int round = 0; round < repeats; round++) {
        if (!a.containsKey("no-python")) {
          String out = run(moduleDir, List.of(pyref.toString(), "run", testClasses.resolve("bench/bench_flashrank.py").toString(),
              model.toString(), onnx, workload.toString(), Integer.toString(threads), "1"));
          for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
              @SuppressWarnings("unchecked")
              Map<String, Object> m = (Map<String, Object>) Json.parse(line.substring(7));
              pyInfo = m;
              for (String w : workloads.keySet()) {
                best.merge(w + "|python", ((Number) ((Map<?, ?>) m.get(w)).get("seconds")).doubleValue(), Math::min);
              }
            }
          }
        }
        for (int i = 0; i < configs.size(); i++) {
          for (Map.Entry<String, List<Map<String, Object>>> w : workloads.entrySet()) {
            long t0 = System.nanoTime();
            pass(rankers.get(i), w.getValue());
            best.merge(w.getKey() + "|" + i, (System.nanoTime() - t0) / 1e9, Math::min);
          }
        }
      }
    } finally {
      rankers.forEach(Reranker::close);
    }
    List<String> rows = new ArrayList<>();
    for (Map.Entry<String, List<Map<String, Object>>> w : workloads.entrySet()) {
      int pairs = w.getValue().stream().mapToInt(c -> ((List<?>) c.get("docs")).size()).sum();
      Double py = best.get(w.getKey() + "|python");
      double pyRate = py == null ? Double.NaN : pairs / py;
      if (py != null) {
        rows.add(row(w.getKey(), "python onnxruntime " + pyInfo.get("onnxruntime") + " + tokenizers " + pyInfo.get("tokenizers")
            + " (FlashRank's steps)", pairs, py, pyRate, 1.0));
      }
      for (int i = 0; i < configs.size(); i++) {
        double s = best.get(w.getKey() + "|" + i);
        rows.add(row(w.getKey(), configs.get(i)[0], pairs, s, pairs / s, (pairs / s) / pyRate));
      }
    }
    String dense = "dense?" + session + "&extractDir=" + work.resolve("cache");
    int pairs = workloads.get("varied").stream().mapToInt(c -> ((List<?>) c.get("docs")).size()).sum();
    try (Reranker cold = Reranker.load(dense + "&cacheSize=0"); Reranker warm = Reranker.load(dense)) {
      double sc = time(cold, workloads.get("varied"), repeats);
      rows.add(row("varied", "java dense all-MiniLM-L6-v2 fp32, cache off", pairs, sc, pairs / sc, Double.NaN));
      double sw = time(warm, workloads.get("varied"), repeats); // the warm-up pass fills the cache
      rows.add(row("varied", "java dense all-MiniLM-L6-v2 fp32, warm cache", pairs, sw, pairs / sw, Double.NaN));
    }
    System.out.printf(Locale.ROOT, "%nFlashRank-style cross-encoder: MiniLM-L12-H384 (%s), %d intra-op thread(s), best of %d"
        + " rounds (Python and Java alternating, after a warm-up); %d queries x %d SciFact passages per workload%n",
        precision, threads, repeats, nq, np);
    System.out.printf(Locale.ROOT, "| %-8s | %-78s | %5s | %8s | %8s | %9s |%n", "workload", "implementation", "pairs",
        "seconds", "pairs/s", "vs python");
    System.out.println("|----------|" + "-".repeat(80) + "|-------|----------|----------|-----------|");
    rows.forEach(System.out::println);
  }

  private static String row(String w, String impl, int pairs, double s, double rate, double ratio) {
    return String.format(Locale.ROOT, "| %-8s | %-78s | %5d | %8.3f | %8.1f | %9s |", w, impl, pairs, s, rate,
        Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio));
  }

  private static double time(Reranker r, List<Map<String, Object>> cases, int repeats) {
    pass(r, cases);
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      pass(r, cases);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  @SuppressWarnings("unchecked")
  private static void pass(Reranker r, List<Map<String, Object>> cases) {
    for (Map<String, Object> c : cases) {
      r.rank((String) c.get("query"), (List<String>) c.get("docs"));
    }
  }

  /** "varied": full abstracts and bare titles alternating; "uniform": first 48 words of each abstract. */
  static Map<String, List<Map<String, Object>>> workloads(Path scifact, int nq, int np) throws IOException {
    List<String> queries = new ArrayList<>();
    for (String line : Files.readAllLines(scifact.resolve("queries.jsonl"))) {
      if (queries.size() < nq) {
        queries.add((String) ((Map<?, ?>) Json.parse(line)).get("text"));
      }
    }
    List<String[]> docs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(scifact.resolve("corpus.jsonl"))) {
      String line;
      while ((line = in.readLine()) != null && docs.size() < nq * np) {
        Map<?, ?> d = (Map<?, ?>) Json.parse(line);
        docs.add(new String[] {(String) d.get("title"), (String) d.get("text")});
      }
    }
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (String kind : List.of("varied", "uniform")) {
      List<Map<String, Object>> cases = new ArrayList<>();
      for (int q = 0; q < queries.size(); q++) {
        List<String> passages = new ArrayList<>();
        for (int p = 0; p < np; p++) {
          String[] d = docs.get(q * np + p);
          if (kind.equals("varied")) {
            passages.add(p % 2 == 0 ? d[0] + " " + d[1] : d[0]);
          } else {
            String[] words = d[1].split("\\s+");
            passages.add(String.join(" ", java.util.Arrays.copyOf(words, Math.min(48, words.length))));
          }
        }
        cases.add(Map.of("query", queries.get(q), "docs", passages));
      }
      out.put(kind, cases);
    }
    return out;
  }

  private static String toJson(Map<String, List<Map<String, Object>>> w) {
    StringBuilder sb = new StringBuilder("{");
    String s1 = "";
    for (Map.Entry<String, List<Map<String, Object>>> e : w.entrySet()) {
      sb.append(s1).append(Json.quote(e.getKey())).append(":[");
      String s2 = "";
      for (Map<String, Object> c : e.getValue()) {
        sb.append(s2).append("{\"query\":").append(Json.quote((String) c.get("query"))).append(",\"docs\":[");
        String s3 = "";
        for (Object d : (List<?>) c.get("docs")) {
          sb.append(s3).append(Json.quote((String) d));
          s3 = ",";
        }
        sb.append("]}");
        s2 = ",";
      }
      sb.append("]");
      s1 = ",";
    }
    return sb.append("}").toString();
  }

  private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
    return out.toString();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i].replaceFirst("^--", "");
      if (k.equals("no-python")) {
        m.put(k, "true");
      } else {
        m.put(k, args[++i]);
      }
    }
    return m;
  }
}
