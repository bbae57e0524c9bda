package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.graph.GraphOps;
import dev.rerankers.transformers.graph.GraphSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logits and last hidden states against Hugging Face transformers on the tiny random checkpoints
 * of ../shared/golden (copied to src/test/resources/golden), through both runtimes of one model
 * definition: eager (libtorch) and the recorded ONNX graph (ONNX Runtime). Tolerance: 1e-4
 * absolute, fp32.
 */
class GoldenParityTest {
  static final double TOLERANCE = 1e-4;
  static final List<String> ARCHITECTURES = List.of(
      "BertForSequenceClassification",
      "XLMRobertaForSequenceClassification",
      "ElectraForSequenceClassification",
      "DebertaV2ForSequenceClassification",
      "ModernBertForSequenceClassification");

  @TempDir
  static Path graphs;

  static Stream<Arguments> cases() {
    return ARCHITECTURES.stream().flatMap(a -> Stream.of(Arguments.of(a, "eager"), Arguments.of(a, "graph")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void should_match_transformers_logits_and_hidden_states(String arch, String runtime) throws Exception {
    Path dir = TestFiles.resource("golden/" + arch);
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> inputs = (Map<String, Object>) expected.get("inputs");
    @SuppressWarnings("unchecked")
    Map<String, Object> outputs = (Map<String, Object>) expected.get("outputs");
    @SuppressWarnings("unchecked")
    List<Object> shape = (List<Object>) ((Map<String, Object>) expected.get("shapes")).get("input_ids");
    Shape s = new Shape(((Number) shape.get(0)).longValue(), ((Number) shape.get(1)).longValue());

    try (SequenceClassifier model = Architectures.loadClassifier(ModelSource.local(dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      assertThat(model.architecture()).isEqualTo(arch);
      // nothing computed per batch may land in the model's manager
      model.weights().manager().cap();
      NDArray ids = batch.create(TestFiles.longs(inputs.get("input_ids")), s);
      NDArray mask = batch.create(TestFiles.longs(inputs.get("attention_mask")), s);
      NDArray types = inputs.containsKey("token_type_ids")
          ? batch.create(TestFiles.longs(inputs.get("token_type_ids")), s) : null;
      EncoderInput in = new EncoderInput(ids, mask, types);
      float[] logits;
      float[] h;
      if (runtime.equals("eager")) {
        logits = model.logits(in).toFloatArray();
        NDArray hidden = model.encoder().forward(in);
        h = hidden.mul(mask.expandDims(-1).toType(hidden.getDataType(), false)).toFloatArray();
      } else {
        Map<String, GraphSession.Output> out = runGraph(model, arch, in);
        logits = out.get("logits").data();
        NDArray hidden = batch.create(out.get("last_hidden_state").data(), new Shape(out.get("last_hidden_state").shape()));
        h = hidden.mul(mask.expandDims(-1).toType(hidden.getDataType(), false)).toFloatArray();
      }
      double logitDiff = TestFiles.maxAbsDiff(logits, TestFiles.floats(outputs.get("logits")));
      double hiddenDiff = TestFiles.maxAbsDiff(h, TestFiles.floats(outputs.get("last_hidden_state")));

      System.out.printf("golden %-40s %-5s max|Δlogit| = %.3g, max|Δhidden| = %.3g (tolerance %.0e)%n",
          arch, runtime, logitDiff, hiddenDiff, TOLERANCE);
      assertThat(logitDiff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(hiddenDiff).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  /** Records the model's logits and last hidden state as one graph, opens it in ONNX Runtime, runs the batch. */
  static Map<String, GraphSession.Output> runGraph(SequenceClassifier model, String arch, EncoderInput in) throws Exception {
    GraphOps rec = new GraphOps(GraphOps.Precision.FP32);
    Inputs<GraphOps.Value> gi = new Inputs<>(rec.input("input_ids"), rec.input("attention_mask"),
        in.tokenTypeIds() != null ? rec.input("token_type_ids") : null);
    GraphOps.Value hidden = model.encoder().forward(rec, gi);
    rec.output("last_hidden_state", hidden, "batch", "sequence", (long) model.encoder().hiddenSize());
    rec.output("logits", model.logits(rec, gi), "batch", (long) model.numLabels());
    Path dir = Files.createDirectories(graphs.resolve(arch));
    rec.write(dir.resolve("model.onnx"), "test", Map.of(), Long.MAX_VALUE);
    Map<String, long[]> feeds = new java.util.HashMap<>();
    feeds.put("input_ids", in.inputIds().toLongArray());
    feeds.put("attention_mask", in.attentionMask().toLongArray());
    if (in.tokenTypeIds() != null) {
      feeds.put("token_type_ids", in.tokenTypeIds().toLongArray());
    }
    try (GraphSession session = GraphSession.open(dir, 1, arch)) {
      return session.run(feeds, (int) in.batchSize(), (int) in.length());
    }
  }
}
