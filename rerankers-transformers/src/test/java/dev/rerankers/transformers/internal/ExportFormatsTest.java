package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TorchScript and ONNX exports of the golden checkpoints (made with pyref by
 * src/test/resources/exports/export_golden.py) give transformers' logits through the same ranker;
 * tolerance 1e-4.
 */
class ExportFormatsTest {
  static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @CsvSource({
      "BertForSequenceClassification, torchscript", "BertForSequenceClassification, onnx",
      "XLMRobertaForSequenceClassification, torchscript", "XLMRobertaForSequenceClassification, onnx",
      "ElectraForSequenceClassification, torchscript", "ElectraForSequenceClassification, onnx",
      "DebertaV2ForSequenceClassification, torchscript", "DebertaV2ForSequenceClassification, onnx",
      "ModernBertForSequenceClassification, torchscript", "ModernBertForSequenceClassification, onnx"})
  @SuppressWarnings("unchecked")
  void exports_should_give_transformers_logits(String arch, String format) {
    Path dir = TestFiles.resource("exports/golden/" + arch);
    Map<String, Object> expected = TestFiles.json(TestFiles.resource("golden/" + arch).resolve("expected.json"));
    Map<String, Object> inputs = (Map<String, Object>) expected.get("inputs");
    long[] lengths = TestFiles.longs(expected.get("lengths"));
    long[] ids = TestFiles.longs(inputs.get("input_ids"));
    long[] types = inputs.containsKey("token_type_ids") ? TestFiles.longs(inputs.get("token_type_ids")) : null;
    int len = ids.length / lengths.length;
    List<Encoding> rows = new ArrayList<>();
    for (int b = 0; b < lengths.length; b++) {
      long[] r = Arrays.copyOfRange(ids, b * len, b * len + (int) lengths[b]);
      long[] t = types == null ? new long[r.length] : Arrays.copyOfRange(types, b * len, b * len + (int) lengths[b]);
      rows.add(Encoding.of(r, t));
    }
    long pad = ids[(int) (lengths.length - 1) * len + len - 1];
    PaddedBatch batch = PaddedBatch.of(rows, pad, types != null, false, 1);
    assertThat(batch.length()).isEqualTo(len);
    try (LogitsModel model = ClassifierLoader.load(
        CheckpointFormat.named(format).orElseThrow(), ModelSource.local(dir), "cpu", null, CpuPasses.DEFAULT_BUDGET_BYTES)) {
      assertThat(model.format()).isEqualTo(format);
      float[] logits = model.logits(batch);
      double diff = TestFiles.maxAbsDiff(logits, TestFiles.floats(((Map<String, Object>) expected.get("outputs")).get("logits")));
      System.out.printf("export %-38s %-11s max|Δlogit| = %.3g (tolerance %.0e)%n", arch, format, diff, TOLERANCE);
      assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"torchscript", "onnx"})
  @SuppressWarnings("unchecked")
  void ranker_should_match_python_scores_through_an_export(String format) {
    Path dir = TestFiles.resource("exports/e2e-bert");
    List<Map<String, Object>> cases =
        (List<Map<String, Object>>) TestFiles.json(TestFiles.resource("e2e/bert").resolve("expected.json")).get("cases");
    try (Reranker ranker = Reranker.load("cross-encoder:" + dir + "?format=" + format)) {
      assertThat(ranker.info().details()).containsEntry("format", format);
      double max = 0;
      for (Map<String, Object> c : cases) {
        List<String> docs = (List<String>) c.get("docs");
        RankedResults r = ranker.rank((String) c.get("query"), docs);
        float[] actual = new float[docs.size()];
        r.forEach(x -> actual[((Number) x.id()).intValue()] = x.score().floatValue());
        max = Math.max(max, TestFiles.maxAbsDiff(actual, TestFiles.floats(c.get("scores_in_input_order"))));
      }
      if (format.equals("torchscript")) {
        try (Reranker auto = Reranker.load("cross-encoder:" + dir)) {
          // no safetensors in the folder: auto picks TorchScript before ONNX
          assertThat(auto.info().details()).containsEntry("format", "torchscript");
        }
      }
      System.out.printf("e2e bert via %-11s max|Δscore| = %.3g (tolerance %.0e)%n", format, max, TOLERANCE);
      assertThat(max).isLessThanOrEqualTo(TOLERANCE);
    }
  }
}
