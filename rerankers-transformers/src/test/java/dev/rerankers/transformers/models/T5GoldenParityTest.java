package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T5 / mT5 against Hugging Face transformers on tiny random checkpoints: ../shared/golden's
 * T5ForConditionalGeneration (v1.0: ReLU, tied, scaled) and MT5ForConditionalGeneration (gated GELU,
 * untied, unscaled), and this module's T5TeacherForced (v1.0 with a v4-style config, heads·d_kv ≠
 * d_model, every bucket kind) and T5v11TeacherForced (v1.1 layout under the T5 class, 3 decoder
 * layers), made by src/test/python/make_t5_fixtures.py. Tolerance: 1e-4 absolute, fp32 (the label
 * log-likelihood sums, O(100), get 1e-3).
 */
class T5GoldenParityTest {
  static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {
      "T5ForConditionalGeneration", "MT5ForConditionalGeneration", "T5TeacherForced", "T5v11TeacherForced"})
  void should_match_transformers_encoder_and_first_decoder_step(String folder) {
    Golden g = Golden.read(folder);
    try (T5Model model = Architectures.loadSeq2Seq(ModelSource.local(g.dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      model.weights().manager().cap(); // nothing computed per batch may land in the model's manager
      NDArray ids = batch.create(TestFiles.longs(g.inputs.get("input_ids")), g.shape);
      NDArray mask = batch.create(TestFiles.longs(g.inputs.get("attention_mask")), g.shape);

      NDArray hidden = model.encode(ids, mask);
      float[] h = hidden.mul(mask.expandDims(-1).toType(hidden.getDataType(), false)).toFloatArray();
      double hiddenDiff = TestFiles.maxAbsDiff(h, TestFiles.floats(g.outputs.get("encoder_last_hidden_state")));

      long[] start = new long[(int) g.shape.get(0)];
      Arrays.fill(start, model.config().decoderStartTokenId());
      NDArray first = model.logits(batch.create(start, new Shape(start.length, 1)), hidden, mask);
      double logitDiff = TestFiles.maxAbsDiff(first.toFloatArray(), TestFiles.floats(g.outputs.get("logits_first_step")));

      System.out.printf("golden %-28s max|Δ first-step logit| = %.3g, max|Δ encoder hidden| = %.3g (tolerance %.0e)%n",
          folder, logitDiff, hiddenDiff, TOLERANCE);
      assertThat(logitDiff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(hiddenDiff).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"T5TeacherForced", "T5v11TeacherForced"})
  void should_match_transformers_teacher_forced_decoder(String folder) {
    Golden g = Golden.read(folder);
    @SuppressWarnings("unchecked")
    List<Object> labelShape = (List<Object>) g.shapes.get("labels");
    Shape ls = new Shape(((Number) labelShape.get(0)).longValue(), ((Number) labelShape.get(1)).longValue());
    try (T5Model model = Architectures.loadSeq2Seq(ModelSource.local(g.dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      model.weights().manager().cap();
      NDArray ids = batch.create(TestFiles.longs(g.inputs.get("input_ids")), g.shape);
      NDArray mask = batch.create(TestFiles.longs(g.inputs.get("attention_mask")), g.shape);
      NDArray decoderIds = batch.create(TestFiles.longs(g.inputs.get("decoder_input_ids")), ls);
      NDArray labels = batch.create(TestFiles.longs(g.inputs.get("labels")), ls.add(1));

      NDArray logits = model.logits(decoderIds, model.encode(ids, mask), mask);
      double logitDiff = TestFiles.maxAbsDiff(logits.toFloatArray(), TestFiles.floats(g.outputs.get("logits")));
      float[] sums = logits.logSoftmax(-1).gather(labels, 2).sum(new int[] {1, 2}).toFloatArray();
      double sumDiff = TestFiles.maxAbsDiff(sums, TestFiles.floats(g.outputs.get("label_log_likelihood_sum")));

      System.out.printf("golden %-28s teacher-forced %s: max|Δlogit| = %.3g, max|Δ label log-likelihood sum| = %.3g%n",
          folder, ls, logitDiff, sumDiff);
      assertThat(logitDiff).isLessThanOrEqualTo(TOLERANCE);
      assertThat(sumDiff).isLessThanOrEqualTo(1e-3);
    }
  }

  @Test
  void should_read_the_decoder_output_scaling_from_v4_and_v5_configs() {
    // v5 config with scale_decoder_outputs: true; v4-style config with neither key (scaled by default)
    assertThat(config("T5ForConditionalGeneration").scaleDecoderOutputs()).isTrue();
    assertThat(config("T5TeacherForced").scaleDecoderOutputs()).isTrue();
    // tie_word_embeddings false (v1.1 layout) and mT5: not scaled
    assertThat(config("T5v11TeacherForced").scaleDecoderOutputs()).isFalse();
    assertThat(config("MT5ForConditionalGeneration").scaleDecoderOutputs()).isFalse();
    // transformers itself said so when the fixtures were made
    assertThat(Golden.read("T5TeacherForced").expected.get("scale_decoder_outputs_in_transformers")).isEqualTo(true);
    assertThat(Golden.read("T5v11TeacherForced").expected.get("scale_decoder_outputs_in_transformers")).isEqualTo(false);
    T5Config v11 = config("T5v11TeacherForced");
    assertThat(v11.gated()).isTrue();
    assertThat(v11.numDecoderLayers()).isEqualTo(3);
    assertThat(config("T5TeacherForced").innerDim()).isEqualTo(48);
  }

  @Test
  void should_tell_a_cross_encoder_user_that_t5_is_a_seq2seq_model() {
    Path dir = TestFiles.resource("golden/T5ForConditionalGeneration");
    assertThatThrownBy(() -> Architectures.loadClassifier(ModelSource.local(dir), Placement.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("use the type 't5'");
    Path bert = TestFiles.resource("golden/BertForSequenceClassification");
    assertThatThrownBy(() -> Architectures.loadSeq2Seq(ModelSource.local(bert), Placement.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("T5ForConditionalGeneration, MT5ForConditionalGeneration");
  }

  static T5Config config(String folder) {
    Path dir = TestFiles.resource("golden/" + folder);
    ConfigJson json = ConfigJson.read(dir.resolve("config.json"));
    return T5Config.from(json, json.architectures().get(0));
  }

  /** One golden folder's expected.json. */
  record Golden(Path dir, Map<String, Object> expected, Map<String, Object> inputs, Map<String, Object> outputs,
      Map<String, Object> shapes, Shape shape) {
    @SuppressWarnings("unchecked")
    static Golden read(String folder) {
      Path dir = TestFiles.resource("golden/" + folder);
      Map<String, Object> e = TestFiles.json(dir.resolve("expected.json"));
      Map<String, Object> shapes = (Map<String, Object>) e.get("shapes");
      List<Object> s = (List<Object>) shapes.get("input_ids");
      return new Golden(dir, e, (Map<String, Object>) e.get("inputs"), (Map<String, Object>) e.get("outputs"), shapes,
          new Shape(((Number) s.get(0)).longValue(), ((Number) s.get(1)).longValue()));
    }
  }
}
