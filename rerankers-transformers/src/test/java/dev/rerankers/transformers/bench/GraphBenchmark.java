package dev.rerankers.transformers.bench;

import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import dev.rerankers.tokenizers.HfTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 20's benchmark (not a test): one MiniLM-L6-H384 cross-encoder (the real all-MiniLM-L6-v2
 * encoder plus a seeded classifier head, {@link GraphBenchModel}), 100 documents of varied (20–300
 * tokens) and uniform (160 tokens) length, 2 threads everywhere, through:
 *
 * <ul>
 *   <li>this library on libtorch ({@code runtime=torch}), on the recorded graph in fp32 ({@code
 *       runtime=onnx}) and in int8 ({@code quantize=int8}), batches of 16 sorted by length;
 *   <li>Python rerankers' TransformerRanker steps (Hugging Face transformers, batches of 16 in input
 *       order: {@code bench_rerankers.py});
 *   <li>the Python onnxruntime pipeline, FlashRank's steps on an ONNX export of the same model (fp32
 *       and int8 from {@code quantize_dynamic}: {@code bench_ort.py}), plus the same with this
 *       library's batching (16, sorted) to separate batching from kernels.
 * </ul>
 *
 * <p>Every implementation makes one timed pass per set per round after a warm-up; rounds alternate
 * all of them, so each sees the same machine; the best round is kept. The load average is recorded
 * before and after each round. With {@code --docs ROOT} the table replaces the text between {@code
 * <!-- bench:graph:begin -->} and {@code <!-- bench:graph:end -->} in ROOT/docs/benchmarks.md and
 * ROOT/docs/transformers.md. {@code --smoke}: 8 short documents per set, one round (plumbing only;
 * the figures are marked as such).
 *
 * <pre>
 * rerankers-transformers/bench-graph.sh [--smoke] [--rounds N]
 * </pre>
 */
public final class GraphBenchmark {
  private static final String[] SETS = {"varied", "uniform"};
  static final String EAGER = "Java, libtorch eager (`runtime=torch`)";
  static final String FP32 = "Java, graph fp32 (`runtime=onnx`)";
  static final String INT8 = "Java, graph int8 (`runtime=onnx&quantize=int8`)";
  static final String PY_HF = "Python rerankers' TransformerRanker steps (HF transformers, batches of 16 in input order)";
  static final String PY_ORT = "Python onnxruntime pipeline fp32 (FlashRank's steps: one batch per request)";
  static final String PY_ORT8 = "Python onnxruntime pipeline int8 (`quantize_dynamic` export, FlashRank's steps)";
  static final String PY_ORT_SORTED = "Python onnxruntime fp32, batches of 16 sorted by length (this library's batching)";

  private GraphBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    int rounds = 3;
    Path docsRoot = null;
    String rerun = "rerankers-transformers/bench-graph.sh";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--docs" -> docsRoot = Path.of(args[++i]);
        case "--command" -> rerun = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (use --smoke, --rounds N, --docs REPO_ROOT, --command TEXT)");
      }
    }
    if (smoke) {
      rounds = 1;
    }
    int threads = 2;
    int n = smoke ? 8 : 100;
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path work = Files.createDirectories(Path.of("target/bench"));
    Path dir = Files.createDirectories(work.resolve("minilm-l6-cross-encoder"));
    GraphBenchModel.build(dir);
    String query = GraphBenchModel.QUERY;
    Map<String, List<String>> sets = new LinkedHashMap<>();
    String docStats;
    try (HfTokenizer tok = HfTokenizer.load(dir)) {
      List<List<String>> d = smoke ? GraphBenchModel.documents(tok, n, 20, 120, 64) : GraphBenchModel.documents(tok, n, 20, 300, 160);
      sets.put("varied", d.get(0));
      sets.put("uniform", d.get(1));
      docStats = String.format(Locale.ROOT, "%d documents per set; varied %s tokens, uniform %s tokens (document alone)", n,
          GraphBenchModel.stats(tok, d.get(0)), GraphBenchModel.stats(tok, d.get(1)));
      System.out.println(docStats);
    }
    Path docs = work.resolve(smoke ? "docs-smoke.json" : "docs.json");
    Files.writeString(docs, "{\"query\":" + Json.quote(query) + ",\"varied\":" + GraphBenchModel.jsonList(sets.get("varied"))
        + ",\"uniform\":" + GraphBenchModel.jsonList(sets.get("uniform")) + "}");
    Path pyref = SharedData.root().map(p -> p.resolve("tools/pyref")).orElseThrow(
        () -> new IllegalStateException("../shared/tools/pyref is needed for the Python rows"));
    Path scripts = Path.of("src/test/resources/bench").toAbsolutePath();
    Path onnx = work.resolve("onnx");
    if (!Files.isRegularFile(onnx.resolve("model_int8.onnx"))) {
      System.out.println("exporting the model to ONNX for the Python onnxruntime rows (once)");
      python(pyref, List.of(scripts.resolve("export_onnx.py").toString(), dir.toAbsolutePath().toString(),
          onnx.toAbsolutePath().toString()));
    }

    Map<String, String> java = new LinkedHashMap<>();
    String base = "cross-encoder:" + dir.toAbsolutePath() + "?device=cpu&batchSize=16&graphCache="
        + work.resolve("graphs").toAbsolutePath();
    java.put(EAGER, base + "&runtime=torch");
    java.put(FP32, base + "&runtime=onnx&intraOpThreads=" + threads);
    java.put(INT8, base + "&runtime=onnx&quantize=int8&intraOpThreads=" + threads);
    Map<String, List<String>> py = new LinkedHashMap<>();
    String d = dir.toAbsolutePath().toString();
    String docsArg = docs.toAbsolutePath().toString();
    String t = Integer.toString(threads);
    py.put(PY_HF, List.of(scripts.resolve("bench_rerankers.py").toString(), d, docsArg, t, "16"));
    String ort = scripts.resolve("bench_ort.py").toString();
    py.put(PY_ORT, List.of(ort, d, onnx.resolve("model.onnx").toAbsolutePath().toString(), docsArg, t, "flashrank"));
    py.put(PY_ORT8, List.of(ort, d, onnx.resolve("model_int8.onnx").toAbsolutePath().toString(), docsArg, t, "flashrank"));
    py.put(PY_ORT_SORTED, List.of(ort, d, onnx.resolve("model.onnx").toAbsolutePath().toString(), docsArg, t, "sorted16"));

    Map<String, Reranker> rankers = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, String> versions = new LinkedHashMap<>();
    List<String> loads = new ArrayList<>();
    double maxLoad = 0;
    try {
      for (Map.Entry<String, String> e : java.entrySet()) {
        Reranker r = Reranker.load(e.getValue());
        rankers.put(e.getKey(), r);
        for (String s : SETS) {
          r.rank(query, sets.get(s)); // warm-up (and, on the first run, the graph is recorded here)
        }
      }
      for (int round = 0; round < rounds; round++) {
        double before = load1();
        for (Map.Entry<String, List<String>> e : py.entrySet()) {
          Map<String, Object> m = python(pyref, e.getValue());
          for (String s : SETS) {
            best.merge(s + "|" + e.getKey(), ((Number) m.get(s)).doubleValue(), Math::min);
          }
          versions.put(e.getKey(), m.containsKey("onnxruntime") ? "onnxruntime " + m.get("onnxruntime") : "torch " + m.get("torch"));
        }
        for (Map.Entry<String, Reranker> e : rankers.entrySet()) {
          for (String s : SETS) {
            long t0 = System.nanoTime();
            e.getValue().rank(query, sets.get(s));
            best.merge(s + "|" + e.getKey(), (System.nanoTime() - t0) / 1e9, Math::min);
          }
        }
        double after = load1();
        maxLoad = Math.max(maxLoad, Math.max(before, after));
        loads.add(String.format(Locale.ROOT, "round %d: %.2f → %.2f", round + 1, before, after));
        System.out.println("load average (1 min) " + loads.get(loads.size() - 1));
      }
    } finally {
      rankers.values().forEach(Reranker::close);
    }
    String report = report(smoke, rounds, threads, n, docStats, loads, maxLoad, best, versions, new ArrayList<>(py.keySet()),
        new ArrayList<>(java.keySet()), rerun);
    System.out.println();
    System.out.println(report);
    if (docsRoot != null) {
      writeSection(docsRoot.resolve("docs/benchmarks.md"), report, "# Benchmarks\n");
      writeSection(docsRoot.resolve("docs/transformers.md"), report, null);
      System.out.println("written between <!-- bench:graph:begin --> and <!-- bench:graph:end --> in docs/benchmarks.md"
          + " and docs/transformers.md");
    }
  }

  static String report(boolean smoke, int rounds, int threads, int n, String docStats, List<String> loads, double maxLoad,
      Map<String, Double> best, Map<String, String> versions, List<String> py, List<String> java, String rerun) throws IOException {
    StringBuilder sb = new StringBuilder();
    boolean underLoad = maxLoad >= 1.0;
    sb.append("### Encoder graph runtime (issue 20): MiniLM-L6 cross-encoder, libtorch vs recorded ONNX graph vs Python\n\n");
    if (smoke) {
      sb.append("**SMOKE RUN (`--smoke`): ").append(n).append(" short documents per set, one round — it proves the plumbing;"
          + " these figures are not a result.**\n\n");
    }
    if (underLoad) {
      sb.append("⚠ **Measured under load** (1-minute load average up to ").append(String.format(Locale.ROOT, "%.2f", maxLoad))
          .append("): not a result; rerun on a quiet machine.\n\n");
    }
    sb.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append("; machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ").append(cpuModel())
        .append("; threads: ").append(threads).append(" on every side (torch, ONNX Runtime intra-op; inter-op 1)\n");
    sb.append("- load average (1 min) before → after each round: ").append(String.join("; ", loads)).append('\n');
    sb.append("- ").append(docStats).append("; query: SciFact claim; pairs/s = documents / seconds of one `rank` call,"
        + " best of ").append(rounds).append(" alternating round(s), each side warmed up; Java: batches of 16 sorted by length\n");
    sb.append("- rerun: `").append(rerun).append("` from the repository root (after `mvn -B -o verify`)\n\n");
    sb.append("| implementation | varied pairs/s | × Python ORT fp32 | × libtorch | uniform pairs/s | × Python ORT fp32 | × libtorch |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    List<String> all = new ArrayList<>(py);
    all.addAll(java);
    for (String impl : all) {
      sb.append("| ").append(impl).append(versions.containsKey(impl) ? " [" + versions.get(impl) + "]" : "");
      for (String s : SETS) {
        double secs = best.get(s + "|" + impl);
        sb.append(String.format(Locale.ROOT, " | %.1f | %.2f× | %.2f×", n / secs, best.get(s + "|" + PY_ORT) / secs,
            best.get(s + "|" + EAGER) / secs));
      }
      sb.append(" |\n");
    }
    String flag = smoke || underLoad ? " ⚠" : "";
    double fu = best.get("uniform|" + PY_ORT) / best.get("uniform|" + FP32);
    double fv = best.get("varied|" + PY_ORT) / best.get("varied|" + FP32);
    double iu = best.get("uniform|" + FP32) / best.get("uniform|" + INT8);
    double iv = best.get("varied|" + FP32) / best.get("varied|" + INT8);
    sb.append("\nGoals (issue 20; ✓ met, ✗ missed, ⚠ smoke or under load — not a result):\n\n");
    sb.append("| goal | measured | |\n|---|---|---|\n");
    sb.append(goal("fp32 graph ≥ 1.2× the Python onnxruntime pipeline, uniform", fu, 1.2, flag));
    sb.append(goal("fp32 graph ≥ 1.5× the Python onnxruntime pipeline, varied", fv, 1.5, flag));
    sb.append(goal("int8 graph ≥ 1.8× fp32 graph, uniform", iu, 1.8, flag));
    sb.append(goal("int8 graph ≥ 1.8× fp32 graph, varied", iv, 1.8, flag));
    sb.append(goal("fp32 graph faster than libtorch eager (the CPU default), uniform",
        best.get("uniform|" + EAGER) / best.get("uniform|" + FP32), 1.0, flag));
    sb.append(goal("fp32 graph faster than libtorch eager (the CPU default), varied",
        best.get("varied|" + EAGER) / best.get("varied|" + FP32), 1.0, flag));
    return sb.toString();
  }

  static String goal(String what, double ratio, double bound, String flag) {
    return String.format(Locale.ROOT, "| %s | %.2f× | %s%s |%n", what, ratio, ratio >= bound ? "✓" : "✗", flag);
  }

  /** Replaces the text between the graph markers, or appends the markers (creating the file when asked). */
  static void writeSection(Path file, String body, String newFileHeading) throws IOException {
    String begin = "<!-- bench:graph:begin -->";
    String end = "<!-- bench:graph:end -->";
    String text;
    if (Files.isRegularFile(file)) {
      text = Files.readString(file);
    } else if (newFileHeading != null) {
      text = newFileHeading;
    } else {
      return;
    }
    String block = begin + "\n" + body.strip() + "\n" + end;
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b >= 0 && e > b) {
      text = text.substring(0, b) + block + text.substring(e + end.length());
    } else {
      text = text.stripTrailing() + "\n\n" + block + "\n";
    }
    Files.writeString(file, text);
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  static double load1() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+")[0]);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> python(Path pyref, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(pyref.toString(), "run"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        all.append(line).append('\n');
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + all);
    }
    return last == null ? Map.of() : (Map<String, Object>) Json.parse(last);
  }
}
