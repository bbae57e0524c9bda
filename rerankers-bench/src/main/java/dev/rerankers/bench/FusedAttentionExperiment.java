package dev.rerankers.bench;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.nn.Attention;
import dev.rerankers.transformers.nn.AttentionMask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fused-attention experiment (issue 19, item 5): what DJL 0.36 allows instead of the eager
 * encoder attention ({@link Attention#attend}: matmul, in-place mask, fp32 softmax, matmul as
 * separate JNI calls). Times, per call, at the attention shapes of the MiniLM and BERT-base
 * cross-encoders' batches: (a) the eager path as the encoders run it; (b) a TorchScript module
 * calling torch's {@code scaled_dot_product_attention} (the fused CPU kernel: no [B, H, L, L] scores
 * in memory), shipped as a resource and called like a layer; (c) the same eager formula scripted
 * (one JNI call, separate ops inside), which separates the per-op call cost from the kernel's gain.
 * Reports the max |Δ| of (b) and (c) against (a). Not a test; a main:
 *
 * <pre>
 * java -cp ... dev.rerankers.bench.FusedAttentionExperiment [iterations]
 * </pre>
 *
 * The modules are made by {@code src/main/python/make_attention_modules.py}.
 */
public final class FusedAttentionExperiment {
  private FusedAttentionExperiment() {}

  /** One attention shape: batch, heads, length, head size. */
  record Case(String label, int b, int h, int l, int d) {}

  static final List<Case> CASES = List.of(
      new Case("MiniLM, batch 16 x 160 tokens", 16, 12, 160, 32),
      new Case("MiniLM, batch 16 x 300 tokens", 16, 12, 300, 32),
      new Case("MiniLM, batch 8 x 512 tokens", 8, 12, 512, 32),
      new Case("BERT-base, batch 16 x 160 tokens", 16, 12, 160, 64),
      new Case("BERT-base, batch 16 x 300 tokens", 16, 12, 300, 64));

  /** Prints a table of ms per call and max |Δ| for each shape. */
  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    System.out.printf(Locale.ROOT, "load average %.2f, %s threads%n", Machine.load(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"));
    Path dir = Files.createTempDirectory("attention-modules");
    for (String n : List.of("sdpa.pt", "eager.pt")) {
      try (InputStream in = FusedAttentionExperiment.class.getResourceAsStream("attention/" + n)) {
        Files.copy(in, dir.resolve(n), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (String line : run(dir, iterations)) {
      System.out.println(line);
    }
  }

  /** The runner's section: {"cases": [{label, eager_ms, sdpa_ms, scripted_ms, sdpa_diff, scripted_diff}]}. */
  static Map<String, Object> measure(Map<String, Object> spec) throws IOException, MalformedModelException {
    int iterations = ((Number) spec.getOrDefault("iterations", 20)).intValue();
    Path dir = Files.createTempDirectory("attention-modules");
    for (String n : List.of("sdpa.pt", "eager.pt")) {
      try (InputStream in = FusedAttentionExperiment.class.getResourceAsStream("attention/" + n)) {
        Files.copy(in, dir.resolve(n), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<Object> cases = new ArrayList<>();
    for (double[] r : times(dir, iterations)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", CASES.get(cases.size()).label());
      m.put("eager_ms", r[0]);
      m.put("sdpa_ms", r[1]);
      m.put("scripted_ms", r[2]);
      m.put("sdpa_diff", r[3]);
      m.put("scripted_diff", r[4]);
      cases.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", BenchMain.FUSED);
    out.put("iterations", iterations);
    out.put("cases", cases);
    return out;
  }

  static List<String> run(Path modules, int iterations) throws IOException, MalformedModelException {
    List<String> out = new ArrayList<>();
    out.add("| shape | eager (DJL ops) ms | SDPA TorchScript ms | eager TorchScript ms | SDPA max abs diff | scripted max abs diff |");
    out.add("|---|---|---|---|---|---|");
    List<double[]> t = times(modules, iterations);
    for (int i = 0; i < t.size(); i++) {
      double[] r = t.get(i);
      out.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2g | %.2g |", CASES.get(i).label(), r[0], r[1],
          r[2], r[3], r[4]));
    }
    return out;
  }

  /** Per case: eager ms, SDPA ms, scripted-eager ms, SDPA max |Δ|, scripted max |Δ|. */
  static List<double[]> times(Path modules, int iterations) throws IOException, MalformedModelException {
    List<double[]> out = new ArrayList<>();
    try (Model sdpa = load(modules, "sdpa"); Model scripted = load(modules, "eager");
        NDManager base = Placement.pytorch().newBaseManager()) {
      for (Case c : CASES) {
        try (NDManager m = base.newSubManager()) {
          NDArray q = m.randomNormal(new Shape(c.b(), c.h(), c.l(), c.d()));
          NDArray k = m.randomNormal(new Shape(c.b(), c.h(), c.l(), c.d()));
          NDArray v = m.randomNormal(new Shape(c.b(), c.h(), c.l(), c.d()));
          NDArray mask = mask(m, c);
          float scale = (float) (1 / Math.sqrt(c.d()));
          NDArray s = m.create(scale);
          float[] ref = eager(m, q, k, v, mask, scale);
          float[] fused = module(m, sdpa, q, k, v, mask, s);
          float[] one = module(m, scripted, q, k, v, mask, s);
          double te = time(iterations, () -> eager(m, q, k, v, mask, scale));
          double tf = time(iterations, () -> module(m, sdpa, q, k, v, mask, s));
          double ts = time(iterations, () -> module(m, scripted, q, k, v, mask, s));
          out.add(new double[] {te, tf, ts, maxAbsDiff(ref, fused), maxAbsDiff(ref, one)});
        }
      }
    }
    return out;
  }

  /** [B, 1, 1, L]: the second half of the rows pads their last quarter. */
  static NDArray mask(NDManager m, Case c) {
    long[] ones = new long[c.b() * c.l()];
    Arrays.fill(ones, 1L);
    for (int b = c.b() / 2; b < c.b(); b++) {
      Arrays.fill(ones, b * c.l() + c.l() * 3 / 4, (b + 1) * c.l(), 0L);
    }
    return AttentionMask.padding(m.create(ones, new Shape(c.b(), c.l())), DataType.FLOAT32);
  }

  static float[] eager(NDManager parent, NDArray q, NDArray k, NDArray v, NDArray mask, float scale) {
    try (NDManager call = parent.newSubManager()) {
      call.tempAttachAll(q, k, v, mask);
      // the eager formula itself (Attention.attend now takes the fused path when it can)
      return Attention.weights(q, k, mask, scale).matMul(v).toFloatArray();
    }
  }

  static float[] module(NDManager parent, Model model, NDArray q, NDArray k, NDArray v, NDArray mask, NDArray scale) {
    try (NDManager call = parent.newSubManager()) {
      NDList in = new NDList(q, k, v, mask, scale);
      return model.getBlock().forward(new ParameterStore(call, false), in, false).singletonOrThrow().toFloatArray();
    }
  }

  private static Model load(Path dir, String name) throws IOException, MalformedModelException {
    Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
    model.load(dir, name);
    return model;
  }

  /** Median ms per call over {@code n} calls, after two warm-up calls. */
  static double time(int n, Runnable call) {
    call.run();
    call.run();
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[n / 2];
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  interface Runnable {
    void run();
  }
}
