package dev.rerankers.transformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.testing.MiniLm;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark harness (not a test): pairs per second of a MiniLM-L6-H384 cross-encoder (the real
 * all-MiniLM-L6-v2 weights plus a seeded classifier head) on 100 SciFact documents of varied
 * (20–300 tokens) and uniform length, batch sizes 8/16/32, 2 threads, against Hugging Face
 * transformers' AutoModelForSequenceClassification on the same folder (through pyref) in the same
 * run. Also the achieved GFLOP/s against a measured 1024³ fp32 matmul.
 *
 * <pre>
 * rerankers-transformers/bench.sh [repeats] [nopython]
 * </pre>
 * Arguments (optional): repeats (default 3), then "nopython" to skip the baseline.
 */
public final class CrossEncoderBenchmark {
  static final int[] BATCHES = {8, 16, 32};
  static final int HIDDEN = 384;
  static final int LAYERS = 6;
  static final int INTERMEDIATE = 1536;

  private CrossEncoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    boolean python = !(args.length > 1 && args[1].equals("nopython"));
    System.setProperty("ai.djl.pytorch.num_threads", "2");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path dir = Files.createDirectories(Path.of("target/bench/minilm-l6-cross-encoder"));
    buildModel(dir);
    String query = "Vitamin B12 deficiency increases blood levels of homocysteine.";
    List<String> corpus = corpus();
    List<String> varied;
    List<String> uniform;
    try (HfTokenizer tok = HfTokenizer.load(dir)) {
      Random rnd = new Random(7);
      List<Integer> targets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        targets.add(20 + (int) Math.round(280.0 * i / 99));
      }
      Collections.shuffle(targets, rnd);
      varied = new ArrayList<>();
      uniform = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        varied.add(cut(tok, corpus.get(i % corpus.size()), targets.get(i)));
        uniform.add(cut(tok, corpus.get((i + 37) % corpus.size()), 160));
      }
      System.out.printf("documents: varied %s tokens, uniform %s tokens%n", stats(tok, varied), stats(tok, uniform));
    }
    Path docsJson = dir.resolveSibling("docs.json");
    Files.writeString(docsJson, "{\"query\":" + Json.quote(query) + ",\"varied\":" + jsonList(varied)
        + ",\"uniform\":" + jsonList(uniform) + "}");

    double javaPeak = matmulPeak();
    double[][] java = new double[2][BATCHES.length];
    double[][] flops = new double[2][BATCHES.length];
    double[][] pyFlops = new double[2][BATCHES.length];
    List<List<String>> sets = List.of(varied, uniform);
    try (HfTokenizer tok = HfTokenizer.load(dir)) {
      for (int s = 0; s < 2; s++) {
        List<Encoding> enc = tok.encodePairs(query, sets.get(s));
        for (int b = 0; b < BATCHES.length; b++) {
          flops[s][b] = flops(enc, BATCHES[b], true);
          pyFlops[s][b] = flops(enc, BATCHES[b], false);
          try (Reranker r = Reranker.load("cross-encoder:" + dir.toAbsolutePath() + "?device=cpu&batchSize=" + BATCHES[b])) {
            r.rank(query, sets.get(s));
            long t = System.nanoTime();
            for (int k = 0; k < repeats; k++) {
              r.rank(query, sets.get(s));
            }
            java[s][b] = repeats * 100 / ((System.nanoTime() - t) / 1e9);
          }
        }
      }
    }
    Map<String, Object> py = python ? runPython(dir, docsJson, repeats) : null;
    System.out.printf("%nMiniLM-L6-H384 cross-encoder, 100 pairs per call, %d timed calls, 2 threads, fp32, CPU%n", repeats);
    System.out.printf("malloc: %s%n", System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_"))
        .map(e -> e.getKey() + "=" + e.getValue()).sorted().reduce((x, y) -> x + " " + y).orElse("glibc defaults"));
    System.out.printf("matmul peak (1024^3 fp32): Java/DJL libtorch %.1f GFLOP/s%s%n", javaPeak,
        py == null ? "" : String.format(", Python torch %.1f GFLOP/s", ((Number) py.get("matmul_gflops")).doubleValue()));
    System.out.println("| set | batch | Java pairs/s | HF pairs/s | ratio | Java GFLOP/s (% peak) | HF GFLOP/s (% peak) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int s = 0; s < 2; s++) {
      for (int b = 0; b < BATCHES.length; b++) {
        double jg = flops[s][b] / 100 * java[s][b] / 1e9;
        String hf = "-";
        String ratio = "-";
        String hg = "-";
        if (py != null) {
          double p = pythonRate(py, s == 0 ? "varied" : "uniform", BATCHES[b]);
          double pg = pyFlops[s][b] / 100 * p / 1e9;
          double pyPeak = ((Number) py.get("matmul_gflops")).doubleValue();
          hf = String.format("%.1f", p);
          ratio = String.format("%.2f×", java[s][b] / p);
          hg = String.format("%.1f (%.0f%%)", pg, 100 * pg / pyPeak);
        }
        System.out.printf("| %s | %d | %.1f | %s | %s | %.1f (%.0f%%) | %s |%n", s == 0 ? "varied" : "uniform", BATCHES[b],
            java[s][b], hf, ratio, jg, 100 * jg / javaPeak, hg);
      }
    }
    System.out.println("GFLOP/s count the matmul work of the padded batches each side actually runs "
        + "(Java sorts pairs by length; HF batches in input order).");
  }

  /** Real MiniLM weights under "bert." plus a seeded pooler and one-logit classifier. */
  static void buildModel(Path dir) throws IOException {
    Path raw = Files.createDirectories(dir.resolveSibling("minilm-raw"));
    MiniLm.materialize(raw);
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, Map.Entry<long[], float[]>> e : SafetensorsWriter.readF32(raw.resolve("model.safetensors")).entrySet()) {
      if (!e.getKey().endsWith("position_ids")) {
        w.f32("bert." + e.getKey(), e.getValue().getKey(), e.getValue().getValue());
      }
    }
    Random rnd = new Random(42);
    w.f32("bert.pooler.dense.weight", new long[] {HIDDEN, HIDDEN}, gaussian(rnd, HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
    w.f32("bert.pooler.dense.bias", new long[] {HIDDEN}, gaussian(rnd, HIDDEN, 0.02));
    w.f32("classifier.weight", new long[] {1, HIDDEN}, gaussian(rnd, HIDDEN, 1 / Math.sqrt(HIDDEN)));
    w.f32("classifier.bias", new long[] {1}, new float[] {0.1f});
    w.write(dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("config.json"), MiniLm.CONFIG.replace("\"BertModel\"", "\"BertForSequenceClassification\"")
        .replace("\"model_type\"", "\"id2label\": {\"0\": \"LABEL_0\"}, \"label2id\": {\"LABEL_0\": 0}, \"model_type\""));
    Files.copy(raw.resolve("tokenizer.json"), dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 512, "
        + "\"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"sep_token\": \"[SEP]\", \"unk_token\": \"[UNK]\", "
        + "\"mask_token\": \"[MASK]\", \"tokenizer_class\": \"BertTokenizer\"}");
  }

  static float[] gaussian(Random r, int n, double std) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (r.nextGaussian() * std);
    }
    return f;
  }

  static List<String> corpus() throws IOException {
    Path file = SharedData.root().map(p -> p.resolve("data/scifact/corpus.jsonl")).filter(Files::exists).orElse(null);
    List<String> out = new ArrayList<>();
    if (file != null) {
      try (Stream<String> lines = Files.lines(file)) {
        lines.limit(400).forEach(l -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) Json.parse(l);
          String text = m.get("title") + " " + m.get("text");
          if (text.length() > 1500) {
            out.add(text);
          }
        });
      }
    }
    if (out.isEmpty()) {
      out.add("protein binding receptor clinical trial outcome gene expression increased reduced patients ".repeat(60));
    }
    return out;
  }

  /** The longest word prefix of text whose token count (no special tokens) is at most n. */
  static String cut(HfTokenizer tok, String text, int n) {
    String[] words = text.split("\\s+");
    int lo = 1;
    int hi = words.length;
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (tok.encodeRaw(String.join(" ", java.util.Arrays.copyOf(words, mid))).length() <= n) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return String.join(" ", java.util.Arrays.copyOf(words, lo));
  }

  static String stats(HfTokenizer tok, List<String> docs) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    long sum = 0;
    for (String d : docs) {
      int n = tok.encodeRaw(d).length();
      min = Math.min(min, n);
      max = Math.max(max, n);
      sum += n;
    }
    return min + ".." + max + " (mean " + sum / docs.size() + ")";
  }

  /** Matmul FLOPs of the padded batches: sorted by length (Java) or in input order (HF). */
  static double flops(List<Encoding> enc, int batch, boolean sorted) {
    List<Integer> lens = new ArrayList<>();
    enc.forEach(e -> lens.add(e.length()));
    if (sorted) {
      lens.sort(Collections.reverseOrder());
    }
    double total = 0;
    for (int i = 0; i < lens.size(); i += batch) {
      List<Integer> b = lens.subList(i, Math.min(lens.size(), i + batch));
      int l = Collections.max(b);
      double perRow = LAYERS * (2.0 * l * (4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * INTERMEDIATE) + 4.0 * l * l * HIDDEN);
      total += perRow * b.size();
    }
    return total;
  }

  static double matmulPeak() {
    try (NDManager m = Placement.pytorch().newBaseManager()) {
      NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      for (int i = 0; i < 3; i++) {
        a.matMul(b).close();
      }
      int reps = 20;
      long t = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        a.matMul(b).close();
      }
      return 2.0 * Math.pow(1024, 3) * reps / ((System.nanoTime() - t) / 1e9) / 1e9;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> runPython(Path dir, Path docs, int repeats) throws IOException, InterruptedException {
    Path pyref = SharedData.root().map(p -> p.resolve("tools/pyref")).orElseThrow(
        () -> new IllegalStateException("../shared/tools/pyref not found; run with 'nopython'"));
    Path script = Path.of("src/test/resources/bench/bench_hf.py").toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of(pyref.toString(), "run", script.toString(),
        dir.toAbsolutePath().toString(), docs.toAbsolutePath().toString(), Integer.toString(repeats)));
    for (int b : BATCHES) {
      cmd.add(Integer.toString(b));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    if (p.waitFor() != 0 || last == null) {
      throw new IllegalStateException("the Python baseline failed (exit " + p.exitValue() + ")");
    }
    return (Map<String, Object>) Json.parse(last);
  }

  @SuppressWarnings("unchecked")
  static double pythonRate(Map<String, Object> py, String set, int batch) {
    for (Object o : (List<Object>) py.get("results")) {
      Map<String, Object> m = (Map<String, Object>) o;
      if (m.get("set").equals(set) && ((Number) m.get("batch")).intValue() == batch) {
        return ((Number) m.get("pairs_per_s")).doubleValue();
      }
    }
    throw new IllegalStateException("no Python result for " + set + " batch " + batch);
  }

  static String jsonList(List<String> l) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(Json.quote(l.get(i)));
    }
    return sb.append(']').toString();
  }
}
