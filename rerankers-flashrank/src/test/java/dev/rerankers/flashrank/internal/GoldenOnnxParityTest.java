package dev.rerankers.flashrank.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.flashrank.Fixtures;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.PaddedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ../shared/golden BERT and XLM-R sequence classifiers, exported to ONNX by torch.onnx and
 * quantized by onnxruntime (make_fixtures.py), run through this module's DJL OnnxRuntime session
 * on expected.json's inputs: fp32 logits must equal transformers' own within 1e-4 (the golden
 * README's tolerance); the int8 copies within 0.05 (dynamic quantization of these tiny random
 * models moves logits by ~0.03 in Python onnxruntime too) and in the same order.
 */
class GoldenOnnxParityTest {
  static final double FP32_TOLERANCE = 1e-4;
  static final double INT8_TOLERANCE = 0.05;

  @ParameterizedTest
  @CsvSource({"BertForSequenceClassification, 0", "XLMRobertaForSequenceClassification, 1"})
  void onnx_logits_match_transformers(String arch, long padId) {
    Map<String, Object> expected = Fixtures.json("golden/" + arch + "/expected.json");
    Map<?, ?> inputs = (Map<?, ?>) expected.get("inputs");
    long[][] ids = Fixtures.longs2(inputs.get("input_ids"));
    long[][] types = inputs.containsKey("token_type_ids") ? Fixtures.longs2(inputs.get("token_type_ids")) : null;
    double[] lengths = TestFiles.doubles(expected.get("lengths"));
    List<Encoding> enc = new ArrayList<>();
    for (int r = 0; r < ids.length; r++) {
      int len = (int) lengths[r];
      long[] i = Arrays.copyOf(ids[r], len);
      enc.add(types == null ? Encoding.of(i) : Encoding.of(i, Arrays.copyOf(types[r], len)));
    }
    PaddedBatch batch = PaddedBatch.of(enc, padId, true, false, 1);
    long[] flat = Arrays.stream(ids).flatMapToLong(Arrays::stream).toArray();
    assertThat(batch.inputIds()).as("re-padded input ids").containsExactly(flat);

    double[] ref = flatten((List<?>) ((Map<?, ?>) expected.get("outputs")).get("logits"));
    Path dir = Fixtures.path("golden/" + arch);
    ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
    OnnxSessionSettings single = new OnnxSessionSettings(1, 1, "ALL_OPT", "cpu", -1);
    double[] fp32 = run(dir.resolve("model.onnx"), single, batch, config);
    double[] int8 = run(dir.resolve("model_quantized.onnx"), single, batch, config);
    double d32 = TestFiles.maxAbsDiff(fp32, ref);
    double d8 = TestFiles.maxAbsDiff(int8, ref);
    System.out.printf("%s: fp32 max |onnx - transformers| = %.3g (tolerance %.0e); int8 = %.3g (tolerance %.2f)%n",
        arch, d32, FP32_TOLERANCE, d8, INT8_TOLERANCE);
    assertThat(d32).isLessThanOrEqualTo(FP32_TOLERANCE);
    assertThat(d8).isLessThanOrEqualTo(INT8_TOLERANCE);
    assertThat(order(int8)).as("int8 ranking").containsExactly(order(ref));
  }

  private static double[] run(Path onnx, OnnxSessionSettings options, PaddedBatch batch, ModelConfig config) {
    try (OnnxModel model = OnnxModel.load(onnx, options, onnx.getFileName().toString())) {
      config.check(batch, model.takesTokenTypeIds(), "golden");
      OnnxModel.Output out = model.run(batch, "logits");
      assertThat(out.name()).isEqualTo("logits");
      assertThat(out.shape()).containsExactly(3, 1);
      double[] d = new double[out.data().length];
      for (int i = 0; i < d.length; i++) {
        d[i] = out.data()[i];
      }
      return d;
    }
  }

  private static double[] flatten(List<?> rows) {
    List<Double> out = new ArrayList<>();
    for (Object r : rows) {
      for (Object v : (List<?>) r) {
        out.add(((Number) v).doubleValue());
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Integer[] order(double[] s) {
    Integer[] idx = {0, 1, 2};
    Arrays.sort(idx, (a, b) -> Double.compare(s[b], s[a]));
    return idx;
  }
}
