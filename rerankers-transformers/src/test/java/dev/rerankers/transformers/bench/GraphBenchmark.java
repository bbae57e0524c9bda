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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Issue 20's benchmark (not a test): one MiniLM-L6-H384 cross-encoder (the real all-MiniLM-L6-v2
 * weights plus a seeded classifier head, as {@link CrossEncoderBenchmark}), 100 documents of varied
 * (20–300 tokens) and uniform (160 tokens) length, 2 threads everywhere, through:
 *
 * <ul>
 *   <li>this library on libtorch ({@code runtime=torch}), on the recorded graph in fp32 ({@code
 *       runtime=onnx}) and in int8 ({@code quantize=int8}), batches of 16 sorted by length;
 *   <li>Python rerankers' TransformerRanker steps (Hugging Face transformers, batches of 16 in input
 *       order: {@code bench_hf.py});
 *   <li>the Python onnxruntime pipeline, FlashRank's steps on an ONNX export of the same model (fp32
 *       and int8 from {@code quantize_dynamic}: {@code bench_ort.py}), plus the same with this
 *       library's batching (16, sorted) to separate batching from kernels.
 * </ul>
 *
 * Every implementation makes one timed pass per set per round after a warm-up; rounds alternate all
 * of them, so each sees the same machine; the best round is kept. The load average is printed
 * before and after each round.
 *
 * <pre>
 * rerankers-transformers/bench.sh graph [rounds]
 * </pre>
 */
public final class GraphBenchmark {
  private static final String[] SETS = {"varied", "uniform"};

  private GraphBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int threads = 2;
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path work = Files.createDirectories(Path.of("target/bench"));
    Path dir = Files.createDirectories(work.resolve("minilm-l6-cross-encoder"));
    CrossEncoderBenchmark.buildModel(dir);
    String query = "Vitamin B12 deficiency increases blood levels of homocysteine.";
    List<String> corpus = CrossEncoderBenchmark.corpus();
    Map<String, List<String>> sets = new LinkedHashMap<>();
    try (HfTokenizer tok = HfTokenizer.load(dir)) {
      Random rnd = new Random(7);
      List<Integer> targets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        targets.add(20 + (int) Math.round(280.0 * i / 99));
      }
      Collections.shuffle(targets, rnd);
      List<String> varied = new ArrayList<>();
      List<String> uniform = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        varied.add(CrossEncoderBenchmark.cut(tok, corpus.get(i % corpus.size()), targets.get(i)));
        uniform.add(CrossEncoderBenchmark.cut(tok, corpus.get((i + 37) % corpus.size()), 160));
      }
      sets.put("varied", varied);
      sets.put("uniform", uniform);
      System.out.printf("documents: varied %s tokens, uniform %s tokens%n", CrossEncoderBenchmark.stats(tok, varied),
          CrossEncoderBenchmark.stats(tok, uniform));
    }
    Path docs = work.resolve("docs.json");
    Files.writeString(docs, "{\"query\":" + Json.quote(query) + ",\"varied\":" + CrossEncoderBenchmark.jsonList(sets.get("varied"))
        + ",\"uniform\":" + CrossEncoderBenchmark.jsonList(sets.get("uniform")) + "}");
    Path pyref = SharedData.root().map(p -> p.resolve("tools/pyref")).orElseThrow(
        () -> new IllegalStateException("../shared/tools/pyref is needed for the Python rows"));
    Path scripts = Path.of("src/test/resources/bench").toAbsolutePath();
    Path onnx = work.resolve("onnx");
    if (!Files.isRegularFile(onnx.resolve("model_int8.onnx"))) {
      python(pyref, List.of(scripts.resolve("export_onnx.py").toString(), dir.toAbsolutePath().toString(),
          onnx.toAbsolutePath().toString()));
    }

    Map<String, String> java = new LinkedHashMap<>();
    String base = "cross-encoder:" + dir.toAbsolutePath() + "?device=cpu&batchSize=16&graphCache=" + work.resolve("graphs").toAbsolutePath();
    java.put("Java, libtorch eager (runtime=torch)", base + "&runtime=torch");
    java.put("Java, graph fp32 (runtime=onnx)", base + "&runtime=onnx&intraOpThreads=" + threads);
    java.put("Java, graph int8 (runtime=onnx, quantize=int8)", base + "&runtime=onnx&quantize=int8&intraOpThreads=" + threads);
    Map<String, List<String>> py = new LinkedHashMap<>();
    String d = dir.toAbsolutePath().toString();
    String docsArg = docs.toAbsolutePath().toString();
    py.put("Python rerankers' TransformerRanker steps (HF transformers, batches of 16 in input order)",
        List.of(scripts.resolve("bench_hf.py").toString(), d, docsArg, "1", "16"));
    py.put("Python onnxruntime pipeline fp32 (FlashRank's steps: one batch per request)",
        List.of(scripts.resolve("bench_ort.py").toString(), d, onnx.resolve("model.onnx").toAbsolutePath().toString(), docsArg,
            Integer.toString(threads), "flashrank"));
    py.put("Python onnxruntime pipeline int8 (quantize_dynamic export, FlashRank's steps)",
        List.of(scripts.resolve("bench_ort.py").toString(), d, onnx.resolve("model_int8.onnx").toAbsolutePath().toString(),
            docsArg, Integer.toString(threads), "flashrank"));
    py.put("Python onnxruntime fp32, batches of 16 sorted by length (this library's batching)",
        List.of(scripts.resolve("bench_ort.py").toString(), d, onnx.resolve("model.onnx").toAbsolutePath().toString(), docsArg,
            Integer.toString(threads), "sorted16"));

    Map<String, Reranker> rankers = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, String> versions = new LinkedHashMap<>();
    List<String> loads = new ArrayList<>();
    try {
      for (Map.Entry<String, String> e : java.entrySet()) {
        Reranker r = Reranker.load(e.getValue());
        rankers.put(e.getKey(), r);
        for (String s : SETS) {
          r.rank(query, sets.get(s)); // warm-up
        }
      }
      for (int round = 0; round < rounds; round++) {
        loads.add("round " + (round + 1) + " before: " + load());
        for (Map.Entry<String, List<String>> e : py.entrySet()) {
          Map<String, Object> m = python(pyref, e.getValue());
          for (String s : SETS) {
            double seconds = m.containsKey("results") ? 100 / hfRate(m, s) : ((Number) m.get(s)).doubleValue();
            best.merge(s + "|" + e.getKey(), seconds, Math::min);
          }
          versions.put(e.getKey(), m.containsKey("onnxruntime") ? "onnxruntime " + m.get("onnxruntime")
              : "torch " + m.get("torch"));
        }
        for (Map.Entry<String, Reranker> e : rankers.entrySet()) {
          for (String s : SETS) {
            long t = System.nanoTime();
            e.getValue().rank(query, sets.get(s));
            best.merge(s + "|" + e.getKey(), (System.nanoTime() - t) / 1e9, Math::min);
          }
        }
        loads.add("round " + (round + 1) + " after: " + load());
      }
    } finally {
      rankers.values().forEach(Reranker::close);
    }
    String eager = java.keySet().iterator().next();
    String pyOrt = new ArrayList<>(py.keySet()).get(1);
    System.out.printf(Locale.ROOT, "%nMiniLM-L6-H384 cross-encoder, 100 pairs per call, %d threads, fp32 unless stated, CPU;"
        + " best of %d alternating rounds%n", threads, rounds);
    loads.forEach(l -> System.out.println("load average " + l));
    System.out.println("| set | implementation | pairs/s | vs Python onnxruntime pipeline fp32 | vs libtorch eager |");
    System.out.println("|---|---|---|---|---|");
    List<String> all = new ArrayList<>(py.keySet());
    all.addAll(java.keySet());
    for (String s : SETS) {
      for (String impl : all) {
        double rate = 100 / best.get(s + "|" + impl);
        System.out.printf(Locale.ROOT, "| %s | %s%s | %.1f | %.2f× | %.2f× |%n", s, impl,
            versions.containsKey(impl) ? " [" + versions.get(impl) + "]" : "", rate,
            best.get(s + "|" + pyOrt) / best.get(s + "|" + impl), best.get(s + "|" + eager) / best.get(s + "|" + impl));
      }
    }
  }

  static String load() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  @SuppressWarnings("unchecked")
  static double hfRate(Map<String, Object> m, String set) {
    for (Object o : (List<Object>) m.get("results")) {
      Map<String, Object> r = (Map<String, Object>) o;
      if (r.get("set").equals(set)) {
        return ((Number) r.get("pairs_per_s")).doubleValue();
      }
    }
    throw new IllegalStateException("no Python result for " + set);
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
