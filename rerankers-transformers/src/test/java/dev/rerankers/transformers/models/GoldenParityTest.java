package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logits and last hidden states against Hugging Face transformers on the tiny random checkpoints
 * of ../shared/golden (copied to src/test/resources/golden). Tolerance: 1e-4 absolute, fp32.
 */
class GoldenParityTest {
  static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {
      "BertForSequenceClassification",
      "XLMRobertaForSequenceClassification",
      "ElectraForSequenceClassification",
      "DebertaV2ForSequenceClassification",
      "ModernBertForSequenceClassification"})
  void should_match_transformers_logits_and_hidden_states(String arch) {
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

      float[] logits = model.logits(in).toFloatArray();
      double logitDiff = TestFiles.maxAbsDiff(logits, TestFiles.floats(outputs.get("logits")));

      NDArray hidden = model.encoder().forward(in);
      float[] h = hidden.mul(mask.expandDims(-1).toType(hidden.getDataType(), false)).toFloatArray();
      double hiddenDiff = TestFiles.maxAbsDiff(h, TestFiles.floats(outputs.get("last_hidden_state")));

      System.out.printf("golden %-40s max|Δlogit| = %.3g, max|Δhidden| = %.3g (tolerance %.0e)%n",
          arch, logitDiff, hiddenDiff, TOLERANCE);
      assertThat(logitDiff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(hiddenDiff).isLessThanOrEqualTo(TOLERANCE);
    }
  }
}
