package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.graph.GraphOps;
import dev.rerankers.transformers.graph.GraphSession;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.Inputs;
import dev.rerankers.transformers.models.SequenceClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The graph runtime beyond parity (which GoldenParityTest and CrossEncoderE2eTest check on both
 * runtimes): the fused ONNX Runtime kernels are what gets recorded, a recorded graph is reused on
 * the next load, external initializer data loads, int8 stays close to fp32 on the golden cases,
 * and contradicting options are refused by name.
 */
class GraphLogitsTest {
  @TempDir
  Path tmp;

  static Path e2e(String name) {
    return TestFiles.resource("e2e/" + name);
  }

  @Test
  void should_record_bert_with_the_fused_kernels() {
    try (SequenceClassifier model = Architectures.loadClassifier(ModelSource.local(e2e("bert")), Placement.cpu())) {
      GraphOps fp32 = record(model, GraphOps.Precision.FP32);
      assertThat(fp32.liveOps()).contains("com.microsoft.Attention", "com.microsoft.SkipLayerNormalization",
          "com.microsoft.BiasGelu");
      // per layer q/k/v go into Attention; the attention output and the two FFN MatMuls stay (2 layers), plus pooler and classifier
      assertThat(fp32.liveOps().stream().filter(o -> o.equals("MatMul")).count()).isEqualTo(3L * 2 + 2);
      assertThat(fp32.liveOps().stream().filter(o -> o.equals("com.microsoft.Attention")).count()).isEqualTo(2L);
      GraphOps int8 = record(model, GraphOps.Precision.INT8);
      assertThat(int8.liveOps()).contains("com.microsoft.DynamicQuantizeMatMul", "com.microsoft.MultiHeadAttention")
          .doesNotContain("MatMul", "com.microsoft.Attention");
    }
  }

  @Test
  void should_load_initializers_from_an_external_data_file() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("external"));
    Map<String, Object> expected = TestFiles.json(TestFiles.resource("golden/BertForSequenceClassification/expected.json"));
    Map<String, Object> inputs = TestFiles.map(expected.get("inputs"));
    float[] reference = TestFiles.floats(TestFiles.map(expected.get("outputs")).get("logits"));
    long[] ids = TestFiles.longs(inputs.get("input_ids"));
    int rows = reference.length;
    int len = ids.length / rows;
    try (SequenceClassifier model = Architectures.loadClassifier(
        ModelSource.local(TestFiles.resource("golden/BertForSequenceClassification")), Placement.cpu())) {
      GraphOps rec = record(model, GraphOps.Precision.FP32);
      List<Path> written = rec.write(dir.resolve("model.onnx"), "test", Map.of(), 0);
      assertThat(written).containsExactly(dir.resolve("model.onnx"), dir.resolve("model.onnx.data"));
      assertThat(Files.size(dir.resolve("model.onnx"))).isLessThan(Files.size(dir.resolve("model.onnx.data")));
    }
    Map<String, long[]> feeds = new HashMap<>();
    feeds.put("input_ids", ids);
    feeds.put("attention_mask", TestFiles.longs(inputs.get("attention_mask")));
    feeds.put("token_type_ids", TestFiles.longs(inputs.get("token_type_ids")));
    try (GraphSession s = GraphSession.open(dir, 1, "external")) {
      float[] logits = s.run(feeds, rows, len).get("logits").data();
      double diff = TestFiles.maxAbsDiff(logits, reference);
      System.out.printf("external data: max|Δlogit| = %.3g%n", diff);
      assertThat(diff).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void should_reuse_the_recorded_graph_on_the_next_load() throws Exception {
    String spec = "cross-encoder:" + e2e("bert") + "?runtime=onnx&graphCache=" + tmp;
    double first;
    try (Reranker r = Reranker.load(spec)) {
      first = r.score("a query", "a document");
    }
    List<Path> graphs;
    try (Stream<Path> s = Files.list(tmp)) {
      // one graph folder, beside the remembered checkpoint hashes (.hashes)
      graphs = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
    assertThat(graphs).hasSize(1);
    Path onnx = graphs.get(0).resolve("model.onnx");
    FileTime written = Files.getLastModifiedTime(onnx);
    Thread.sleep(20);
    try (Reranker r = Reranker.load(spec)) {
      assertThat(r.score("a query", "a document")).isEqualTo(first);
    }
    assertThat(Files.getLastModifiedTime(onnx)).isEqualTo(written);
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()).containsExactly(graphs.get(0));
    }
  }

  /** Without ONNX Runtime's memory arena (memoryArena=false) the graph computes the same scores, batch after batch. */
  @Test
  void should_score_the_same_without_the_memory_arena() {
    String base = "cross-encoder:" + e2e("bert") + "?runtime=onnx&batchSize=2&graphCache=" + tmp;
    List<String> docs = List.of("a short document", "a somewhat longer document about proteins and cells",
        "another one", "the last document of the batch, longer than the others by a few words");
    double diff = 0;
    try (Reranker arena = Reranker.load(base); Reranker none = Reranker.load(base + "&memoryArena=false")) {
      for (int round = 0; round < 2; round++) {
        Map<String, Double> a = new HashMap<>();
        arena.rank("a query about cells", docs).results().forEach(r -> a.put(r.text(), r.score()));
        for (dev.rerankers.Result r : none.rank("a query about cells", docs).results()) {
          diff = Math.max(diff, Math.abs(a.get(r.text()) - r.score()));
        }
        assertThat(a).hasSize(docs.size());
      }
    }
    System.out.printf("memoryArena=false vs true: max|Δscore| = %.3g%n", diff);
    assertThat(diff).isLessThanOrEqualTo(1e-6);
  }

  /**
   * A batch run in passes, each cut to its own longest row, gives the logits of one run over the
   * whole padded batch: trailing padding changes nothing (the golden BERT, 16 KiB passes: long rows alone, short ones together).
   */
  @Test
  void should_compute_the_same_logits_in_passes_cut_to_their_rows() {
    ModelSource bert = ModelSource.local(TestFiles.resource("golden/BertForSequenceClassification"));
    List<Encoding> rows = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (int len : new int[] {40, 33, 31, 9, 9, 6, 5, 5, 2}) {
      long[] ids = new long[len];
      long[] types = new long[len];
      for (int t = 0; t < len; t++) {
        ids[t] = 1 + random.nextInt(90);
        types[t] = t < len / 2 ? 0 : 1;
      }
      rows.add(Encoding.of(ids, types));
    }
    PaddedBatch batch = PaddedBatch.of(rows, 0, true, false, 1);
    try (GraphLogits whole = GraphLogits.load(bert, GraphOps.Precision.FP32, 1, true, java.util.Optional.of(tmp), 0);
        GraphLogits passes = GraphLogits.load(bert, GraphOps.Precision.FP32, 1, true, java.util.Optional.of(tmp), 16 << 10)) {
      float[] a = whole.logits(batch);
      float[] b = passes.logits(batch);
      double diff = TestFiles.maxAbsDiff(a, b);
      System.out.printf("passes cut to their rows vs one run: max|Δlogit| = %.3g over %d logits%n", diff, a.length);
      assertThat(a).hasSize(rows.size() * whole.numLabels());
      assertThat(diff).isLessThanOrEqualTo(1e-5);
    }
  }

  /** int8 linear layers against fp32 on the golden e2e cases: the drift is reported, bounded, and rankings hold where scores are apart. */
  @ParameterizedTest
  @ValueSource(strings = {"bert", "electra", "xlm-roberta", "deberta-v2", "modernbert"})
  void should_keep_int8_scores_close_to_fp32(String name) {
    List<Map<String, Object>> cases = TestFiles.maps(TestFiles.json(e2e(name).resolve("expected.json")).get("cases"));
    String base = "cross-encoder:" + e2e(name) + "?runtime=onnx&graphCache=" + tmp;
    double drift = 0;
    double spread = 0;
    try (Reranker fp32 = Reranker.load(base); Reranker int8 = Reranker.load(base + "&quantize=int8")) {
      assertThat(int8.info().dtype()).isEqualTo("int8");
      for (Map<String, Object> c : cases) {
        List<String> docs = TestFiles.strings(c.get("docs"));
        double[] a = inputOrder(fp32.rank((String) c.get("query"), docs), docs.size());
        double[] b = inputOrder(int8.rank((String) c.get("query"), docs), docs.size());
        for (int i = 0; i < a.length; i++) {
          drift = Math.max(drift, Math.abs(a[i] - b[i]));
          spread = Math.max(spread, Math.abs(a[i]));
        }
      }
    }
    System.out.printf("int8 %-12s max|Δscore| vs fp32 = %.3g (max |score| %.3g)%n", name, drift, spread);
    // measured 0.016-0.066 on these tiny random models (hidden 32); a regression guard, not a quality claim
    assertThat(drift).isGreaterThan(0).isLessThan(0.1 * Math.max(1, spread));
  }

  @Test
  void should_refuse_options_that_contradict_each_other() {
    String bert = "cross-encoder:" + e2e("bert");
    assertThatThrownBy(() -> Reranker.load(bert + "?runtime=onnx&device=gpu")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("runtime=onnx runs on the CPU");
    assertThatThrownBy(() -> Reranker.load(bert + "?quantize=int8&device=gpu:1")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("quantize=int8 runs on the CPU");
    assertThatThrownBy(() -> Reranker.load(bert + "?runtime=torch&quantize=int8")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("quantize=int8");
    assertThatThrownBy(() -> Reranker.load(bert + "?runtime=sometimes")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("runtime");
    assertThatThrownBy(() -> Reranker.load(bert + "?format=torchscript&quantize=int8")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("record safetensors checkpoints");
  }

  @Test
  void should_take_the_graph_by_default_on_the_cpu_and_libtorch_when_asked() {
    try (Reranker auto = Reranker.load("cross-encoder:" + e2e("bert") + "?graphCache=" + tmp);
        Reranker torch = Reranker.load("cross-encoder:" + e2e("bert") + "?runtime=torch")) {
      assertThat(auto.info().details()).containsEntry("runtime", "onnx");
      assertThat(torch.info().details()).containsEntry("runtime", "torch");
      assertThat(auto.score("q", "d")).isCloseTo(torch.score("q", "d"), org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  static GraphOps record(SequenceClassifier model, GraphOps.Precision p) {
    GraphOps rec = new GraphOps(p);
    Inputs<GraphOps.Value> in = new Inputs<>(rec.input("input_ids"), rec.input("attention_mask"), rec.input("token_type_ids"));
    rec.output("logits", model.logits(rec, in), "batch", (long) model.numLabels());
    return rec;
  }

  static double[] inputOrder(RankedResults r, int n) {
    double[] out = new double[n];
    for (Result res : r) {
      out[((Number) res.id()).intValue()] = res.score();
    }
    return out;
  }
}
