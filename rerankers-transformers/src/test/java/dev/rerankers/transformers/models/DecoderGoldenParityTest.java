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
 * Causal LMs against Hugging Face transformers on the tiny random checkpoints of ../shared/golden
 * (copied to src/test/resources/golden): logits at each row's last token, logits at the last
 * (possibly padding) position, and the last hidden state at token positions. Right-padded
 * inputs. Tolerance: 1e-4 absolute, fp32.
 */
class DecoderGoldenParityTest {
  static final double TOLERANCE = 1e-4;

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"GemmaForCausalLM", "Gemma2ForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM"})
  void should_match_transformers_logits_and_hidden_states(String arch) {
    Path dir = TestFiles.resource("golden/" + arch);
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    Map<String, Object> inputs = map(expected.get("inputs"));
    Map<String, Object> outputs = map(expected.get("outputs"));
    List<?> shape = (List<?>) map(expected.get("shapes")).get("input_ids");
    int b = ((Number) shape.get(0)).intValue();
    int len = ((Number) shape.get(1)).intValue();
    long[] lengths = TestFiles.longs(expected.get("lengths"));

    try (CausalLm lm = CausalLm.load(ModelSource.local(dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      lm.weights().manager().cap();
      NDArray ids = batch.create(TestFiles.longs(inputs.get("input_ids")), new Shape(b, len));
      NDArray mask = batch.create(TestFiles.longs(inputs.get("attention_mask")), new Shape(b, len));
      NDArray hidden = lm.decoder().forward(ids, mask);

      long[] last = new long[b];
      long[] end = new long[b];
      for (int i = 0; i < b; i++) {
        last[i] = lengths[i] - 1;
        end[i] = len - 1;
      }
      float[] lastToken = lm.logits(CausalLm.gather(hidden, last)).toFloatArray();
      float[] lastPosition = lm.logits(CausalLm.gather(hidden, end)).toFloatArray();
      float[] h = hidden.mul(mask.expandDims(-1).toType(hidden.getDataType(), false)).toFloatArray();

      double dToken = TestFiles.maxAbsDiff(lastToken, TestFiles.floats(outputs.get("logits_last_token")));
      double dPosition = TestFiles.maxAbsDiff(lastPosition, TestFiles.floats(outputs.get("logits_last_position")));
      double dHidden = TestFiles.maxAbsDiff(h, TestFiles.floats(outputs.get("last_hidden_state")));
      System.out.printf("golden %-18s max|Δ logits last token| = %.3g, last position = %.3g, hidden = %.3g (tolerance %.0e)%n",
          arch, dToken, dPosition, dHidden, TOLERANCE);
      assertThat(dToken).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dPosition).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dHidden).isLessThanOrEqualTo(TOLERANCE);

      // the token-column head gives the same numbers as the full head
      float[] columns = lm.tokenLogits(CausalLm.gather(hidden, last), 7, 999).toFloatArray();
      for (int i = 0; i < b; i++) {
        assertThat((double) columns[2 * i]).isCloseTo(lastToken[i * 1000 + 7], org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) columns[2 * i + 1]).isCloseTo(lastToken[i * 1000 + 999], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }
}
