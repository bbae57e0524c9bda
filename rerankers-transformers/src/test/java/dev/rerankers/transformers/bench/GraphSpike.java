package dev.rerankers.transformers.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.graph.GraphOps;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.EncoderInput;
import dev.rerankers.transformers.models.Inputs;
import dev.rerankers.transformers.models.SequenceClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The issue-20 spike (not a test): the benchmark's MiniLM-L6-H384 cross-encoder recorded as an
 * ONNX graph with ONNX Runtime's fused operators, run by DJL's OnnxRuntime engine, timed against
 * the eager libtorch path on the same length-sorted padded batches, 2 threads, alternating rounds.
 *
 * <pre>
 * java -cp ... dev.rerankers.transformers.bench.GraphSpike [repeats] [batch]
 * </pre>
 */
public final class GraphSpike {
  private GraphSpike() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    System.setProperty("ai.djl.pytorch.num_threads", "2");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path dir = Files.createDirectories(Path.of("target/bench/minilm-l6-cross-encoder"));
    GraphBenchModel.build(dir);
    String query = GraphBenchModel.QUERY;
    List<List<Encoding>> sets = new ArrayList<>();
    HfTokenizer tok = HfTokenizer.builder(ModelSource.local(dir)).maxLength(512).build();
    List<List<String>> docs = GraphBenchModel.documents(tok, 100, 20, 300, 160);
    List<String> varied = docs.get(0);
    List<String> uniform = docs.get(1);
    sets.add(tok.encodePairs(query, varied));
    sets.add(tok.encodePairs(query, uniform));

    Path graphDir = Files.createDirectories(Path.of("target/bench/graph"));
    try (SequenceClassifier model = Architectures.loadClassifier(ModelSource.local(dir), Placement.cpu())) {
      for (GraphOps.Precision p : GraphOps.Precision.values()) {
        long t0 = System.nanoTime();
        GraphOps rec = new GraphOps(p);
        Inputs<GraphOps.Value> in = new Inputs<>(rec.input("input_ids"), rec.input("attention_mask"),
            rec.input("token_type_ids"));
        rec.output("logits", model.logits(rec, in), "batch", 1L);
        rec.write(graphDir.resolve("model-" + p + ".onnx"), "spike", Map.of(), Long.MAX_VALUE);
        System.out.printf("recorded %s in %.2f s: %s%n", p, (System.nanoTime() - t0) / 1e9, summary(rec.liveOps()));
      }
      Model fp32 = Model.newInstance("graph-fp32", Device.cpu(), "OnnxRuntime");
      Model int8 = Model.newInstance("graph-int8", Device.cpu(), "OnnxRuntime");
      Map<String, String> opts = Map.of("intraOpNumThreads", "2", "interOpNumThreads", "1", "optLevel", "ALL_OPT");
      fp32.load(graphDir, "model-FP32", opts);
      int8.load(graphDir, "model-INT8", opts);

      String[] names = {"varied", "uniform"};
      for (int s = 0; s < 2; s++) {
        List<PaddedBatch> batches = batches(tok, sets.get(s), batch);
        float[] e = eager(model, batches);
        float[] g = graph(fp32, batches);
        float[] q = graph(int8, batches);
        System.out.printf("%s: max |eager - graph fp32| = %.3g, max |fp32 - int8| = %.3g%n", names[s], maxDiff(e, g), maxDiff(g, q));
      }
      double[][] best = new double[2][3];
      for (double[] row : best) {
        java.util.Arrays.fill(row, Double.MAX_VALUE);
      }
      for (int r = 0; r < repeats; r++) {
        for (int s = 0; s < 2; s++) {
          List<PaddedBatch> batches = batches(tok, sets.get(s), batch);
          long t = System.nanoTime();
          eager(model, batches);
          best[s][0] = Math.min(best[s][0], (System.nanoTime() - t) / 1e9);
          t = System.nanoTime();
          graph(fp32, batches);
          best[s][1] = Math.min(best[s][1], (System.nanoTime() - t) / 1e9);
          t = System.nanoTime();
          graph(int8, batches);
          best[s][2] = Math.min(best[s][2], (System.nanoTime() - t) / 1e9);
        }
      }
      System.out.printf("%nMiniLM-L6-H384 cross-encoder, 100 pairs, batches of %d sorted by length, 2 threads, best of %d"
          + " alternating rounds, forward passes only%n", batch, repeats);
      System.out.println("| set | eager libtorch pairs/s | graph fp32 pairs/s | graph int8 pairs/s | fp32/eager | int8/fp32 |");
      System.out.println("|---|---|---|---|---|---|");
      for (int s = 0; s < 2; s++) {
        System.out.printf("| %s | %.1f | %.1f | %.1f | %.2f× | %.2f× |%n", names[s], 100 / best[s][0], 100 / best[s][1],
            100 / best[s][2], best[s][0] / best[s][1], best[s][1] / best[s][2]);
      }
      fp32.close();
      int8.close();
    }
  }

  static String summary(List<String> ops) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    ops.forEach(o -> counts.merge(o, 1, Integer::sum));
    return ops.size() + " nodes " + counts;
  }

  static List<PaddedBatch> batches(HfTokenizer tok, List<Encoding> enc, int size) {
    List<Encoding> sorted = new ArrayList<>(enc);
    sorted.sort(Comparator.comparingInt(Encoding::length).reversed());
    List<PaddedBatch> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i += size) {
      out.add(tok.pad(sorted.subList(i, Math.min(sorted.size(), i + size))));
    }
    return out;
  }

  static float[] eager(SequenceClassifier model, List<PaddedBatch> batches) {
    List<Float> out = new ArrayList<>();
    for (PaddedBatch b : batches) {
      try (NDManager scope = model.weights().manager().newSubManager()) {
        for (float f : model.logits(EncoderInput.of(scope, b)).toType(DataType.FLOAT32, false).toFloatArray()) {
          out.add(f);
        }
      }
    }
    return unbox(out);
  }

  static float[] graph(Model m, List<PaddedBatch> batches) {
    List<Float> out = new ArrayList<>();
    for (PaddedBatch b : batches) {
      try (NDManager scope = m.getNDManager().newSubManager()) {
        Shape shape = new Shape(b.size(), b.length());
        NDArray ids = scope.create(b.inputIds(), shape);
        ids.setName("input_ids");
        NDArray mask = scope.create(b.attentionMask(), shape);
        mask.setName("attention_mask");
        NDArray types = scope.create(b.hasTokenTypeIds() ? b.tokenTypeIds() : new long[b.size() * b.length()], shape);
        types.setName("token_type_ids");
        NDList res = m.getBlock().forward(new ParameterStore(scope, false), new NDList(ids, mask, types), false);
        for (float f : res.get(0).toFloatArray()) {
          out.add(f);
        }
      }
    }
    return unbox(out);
  }

  static float[] unbox(List<Float> l) {
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = l.get(i);
    }
    return f;
  }

  static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
