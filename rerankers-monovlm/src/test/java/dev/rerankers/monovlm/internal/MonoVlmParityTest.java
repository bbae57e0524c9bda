package dev.rerankers.monovlm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.monovlm.testing.Fixture;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.CausalLm;
import dev.rerankers.transformers.models.Qwen2VlModel;
import dev.rerankers.transformers.models.Qwen2VlPositions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole input pipeline and the model against transformers, per test image, on the fixture's
 * tiny Qwen2-VL (a v4-style flat config.json with rope_scaling.mrope_section): the decoded and
 * processed image, the chat-template token ids with the expanded image tokens (exact), the M-RoPE
 * position ids and rope delta (exact), the image embeddings and the last-position logits over the
 * whole vocabulary (1e-4 absolute, fp32).
 */
class MonoVlmParityTest {
  static final double TOLERANCE = 1e-4;

  @Test
  void should_match_transformers_inputs_and_logits_for_each_image() throws Exception {
    Map<String, Object> expected = Fixture.expected();
    Path base = Fixture.dir().resolve("tiny-qwen2vl");
    Qwen2VlImageProcessor processor = new Qwen2VlImageProcessor(ImageProcessorConfig.read(base.resolve(
        "preprocessor_config.json")));
    String query = (String) expected.get("first_query");
    try (Qwen2VlModel model = Qwen2VlModel.load(ModelSource.local(base), Placement.cpu());
        HfTokenizer tokenizer = HfTokenizer.load(ModelSource.local(base));
        NDManager manager = Placement.pytorch().newBaseManager()) {
      model.weights().manager().cap();
      assertThat(model.config().mropeSection()).containsExactly(2, 3, 3);
      assertThat(model.config().text().tieWordEmbeddings()).isTrue();
      long imagePad = model.config().imageTokenId();
      MonoVlmPrompt prompt = new MonoVlmPrompt(tokenizer, (String) expected.get("prompt_template"), imagePad);
      long[][] parts = prompt.parts(query);
      for (Map<String, Object> row : TestFiles.maps(expected.get("per_image_first_query"))) {
        String file = (String) row.get("file");
        assertThat(prompt.text(query)).isEqualTo(row.get("prompt_text"));
        RgbImage rgb = ImageDecoder.decode(Files.readAllBytes(Fixture.dir().resolve("images/" + file)), file,
            ImageOptions.DEFAULT_MAX_PIXELS);
        Qwen2VlImageProcessor.Patches p = processor.process(rgb);
        long[] ids = prompt.ids(parts, p.gridT() * p.gridH() * p.gridW() / 4);
        assertThat(ids).as(file).containsExactly(TestFiles.longs(row.get("input_ids")));

        Qwen2VlModel.Image image = new Qwen2VlModel.Image(p.values(), p.gridT(), p.gridH(), p.gridW());
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        Qwen2VlPositions.Row positions = Qwen2VlPositions.of(ids, mask, imagePad, List.of(image.grid()), 2);
        long[] flat = new long[3 * ids.length];
        for (int a = 0; a < 3; a++) {
          System.arraycopy(positions.ids()[a], 0, flat, a * ids.length, ids.length);
        }
        assertThat(flat).as(file).containsExactly(TestFiles.longs(row.get("position_ids")));
        assertThat(positions.ropeDelta()).as(file).isEqualTo(((Number) row.get("rope_deltas")).longValue());

        try (NDManager batch = manager.newSubManager()) {
          float[] embeds = model.imageEmbeddings(batch, image).toFloatArray();
          NDArray hidden = model.forward(batch, new Qwen2VlModel.Batch(ids, mask, 1, ids.length, List.of(image)));
          float[] logits = model.lm().logits(CausalLm.gather(hidden, new long[] {ids.length - 1})).toFloatArray();
          double dEmbeds = TestFiles.maxAbsDiff(embeds, TestFiles.floats(row.get("image_embeds")));
          double dLogits = TestFiles.maxAbsDiff(logits, TestFiles.floats(row.get("logits_last_position")));
          System.out.printf("monovlm %s (%d tokens): max|Δ| image_embeds = %.3g, logits = %.3g (tolerance %.0e)%n",
              file, ids.length, dEmbeds, dLogits, TOLERANCE);
          assertThat(dEmbeds).as(file).isLessThanOrEqualTo(TOLERANCE);
          assertThat(dLogits).as(file).isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }
}
