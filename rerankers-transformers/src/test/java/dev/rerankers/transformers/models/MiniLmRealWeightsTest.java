package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.testing.MiniLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real trained weights: all-MiniLM-L6-v2 from Maven Central, its ONNX initializers converted to a
 * Hugging Face-named safetensors file. The Java BERT's last hidden state must match ONNX Runtime
 * (DJL's OnnxRuntime engine) on 56 varied sentences, padded in batches, within 1e-4.
 */
class MiniLmRealWeightsTest {
  static final double TOLERANCE = 1e-4;

  static List<String> sentences() {
    List<String> s = new ArrayList<>(List.of(
        "Hello world.", "A", "", "The quick brown fox jumps over the lazy dog.",
        "Vitamin B12 deficiency raises homocysteine levels in blood plasma.",
        "TNF-α signalling through NF-κB in macrophages (n = 42, p < 0.001).",
        "¿Dónde está la biblioteca? Está cerca de la estación.",
        "東京は日本の首都です。", "Das ist ein sehr langes deutsches Kompositum: Donaudampfschifffahrtsgesellschaft.",
        "C++ and Java; 3.14159 × 2 = 6.28318", "email@example.com https://example.org/path?q=1",
        "UPPER CASE TEXT SHOULD BE LOWERED", "  leading and trailing spaces  ", "tabs\tand\nnewlines",
        "emoji 🙂 are unknown to this vocabulary", "repeated repeated repeated repeated words"));
    String[] words = {"protein", "cell", "binding", "receptor", "clinical", "trial", "outcome", "mice", "gene",
        "expression", "increased", "reduced", "significantly", "patients", "treatment", "response"};
    for (int i = 0; s.size() < 56; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 3 + (i * 37) % 180;
      for (int k = 0; k < n; k++) {
        sb.append(words[(i * 7 + k * 3) % words.length]).append(k % 11 == 10 ? ". " : " ");
      }
      s.add(sb.toString().strip());
    }
    return s;
  }

  @Test
  void java_bert_should_match_onnx_runtime_on_real_minilm_weights(@TempDir Path dir) throws Exception {
    MiniLm.materialize(dir);
    List<String> texts = sentences();
    assertThat(texts).hasSizeGreaterThanOrEqualTo(50);
    double max = 0;
    int tokens = 0;
    try (HfTokenizer tok = HfTokenizer.builder(ModelSource.local(dir)).maxLength(256).build();
        Weights w = Weights.open(ModelSource.local(dir), Placement.cpu());
        Model ort = Model.newInstance("minilm", Device.cpu(), "OnnxRuntime")) {
      BertModel bert = BertModel.load(w, "", BertConfig.from(ConfigJson.read(dir.resolve("config.json"))));
      w.checkAllUsed();
      ort.load(dir, "model");
      try (Predictor<NDList, NDList> predictor = ort.newPredictor(new NoopTranslator())) {
        List<Encoding> all = tok.encodeBatch(texts);
        for (int start = 0; start < all.size(); start += 8) {
          PaddedBatch b = tok.pad(all.subList(start, Math.min(all.size(), start + 8)));
          Shape shape = new Shape(b.size(), b.length());
          float[] expected;
          try (NDManager m = ort.getNDManager().newSubManager()) {
            NDArray ids = m.create(b.inputIds(), shape);
            ids.setName("input_ids");
            NDArray mask = m.create(b.attentionMask(), shape);
            mask.setName("attention_mask");
            NDArray types = m.create(b.tokenTypeIds(), shape);
            types.setName("token_type_ids");
            expected = predictor.predict(new NDList(ids, mask, types)).get(0).toFloatArray();
          }
          float[] actual;
          try (NDManager m = w.manager().newSubManager()) {
            actual = bert.forward(EncoderInput.of(m, b)).toFloatArray();
          }
          long[] mask = b.attentionMask();
          int h = 384;
          for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 0) {
              continue;
            }
            tokens++;
            for (int k = 0; k < h; k++) {
              max = Math.max(max, Math.abs(actual[t * h + k] - expected[t * h + k]));
            }
          }
        }
      }
    }
    System.out.printf("all-MiniLM-L6-v2 real weights: Java BERT vs ONNX Runtime, %d sentences, %d tokens, "
        + "max|Δhidden| = %.3g (tolerance %.0e)%n", texts.size(), tokens, max, TOLERANCE);
    assertThat(max).isLessThanOrEqualTo(TOLERANCE);
  }
}
