package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Qwen2-VL against Hugging Face transformers on the tiny random checkpoint of
 * ../shared/golden/Qwen2VLForConditionalGeneration (copied to src/test/resources/golden; nested
 * transformers-5 config): the vision tower's image embeddings, the 3-D M-RoPE position ids and
 * rope deltas (exact), the last hidden state and the logits at each row's last token and at the
 * last (padding) position. Tolerance: 1e-4 absolute, fp32.
 */
class Qwen2VlGoldenParityTest {
  static final double TOLERANCE = 1e-4;

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void should_match_transformers_embeddings_positions_and_logits() {
    Path dir = TestFiles.resource("golden/Qwen2VLForConditionalGeneration");
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    Map<String, Object> inputs = map(expected.get("inputs"));
    Map<String, Object> outputs = map(expected.get("outputs"));
    List<?> shape = (List<?>) map(expected.get("shapes")).get("input_ids");
    int b = ((Number) shape.get(0)).intValue();
    int len = ((Number) shape.get(1)).intValue();
    long[] lengths = TestFiles.longs(expected.get("lengths"));
    long[] ids = TestFiles.longs(inputs.get("input_ids"));
    long[] mask = TestFiles.longs(inputs.get("attention_mask"));
    float[] pixels = TestFiles.floats(inputs.get("pixel_values"));
    long[] grids = TestFiles.longs(inputs.get("image_grid_thw"));

    try (Qwen2VlModel model = Qwen2VlModel.load(ModelSource.local(dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      model.weights().manager().cap();
      assertThat(model.config().mropeSection()).containsExactly(2, 3, 3);
      assertThat(model.config().imageTokenId()).isEqualTo(997);
      assertThat(model.config().text().tieWordEmbeddings()).isTrue();

      List<Qwen2VlModel.Image> images = new ArrayList<>();
      int offset = 0;
      for (int i = 0; i < grids.length / 3; i++) {
        int t = (int) grids[3 * i];
        int h = (int) grids[3 * i + 1];
        int w = (int) grids[3 * i + 2];
        int n = t * h * w * model.config().vision().patchValues();
        images.add(new Qwen2VlModel.Image(Arrays.copyOfRange(pixels, offset, offset + n), t, h, w));
        offset += n;
      }
      assertThat(offset).isEqualTo(pixels.length);

      // vision tower
      List<Float> embeds = new ArrayList<>();
      for (Qwen2VlModel.Image image : images) {
        for (float f : model.imageEmbeddings(batch, image).toFloatArray()) {
          embeds.add(f);
        }
      }
      float[] e = new float[embeds.size()];
      for (int i = 0; i < e.length; i++) {
        e[i] = embeds.get(i);
      }
      double dEmbeds = TestFiles.maxAbsDiff(e, TestFiles.floats(outputs.get("image_embeds")));

      // M-RoPE positions and deltas: exact
      Qwen2VlModel.Batch in = new Qwen2VlModel.Batch(ids, mask, b, len, images);
      long[][][] pos = model.positions(in);
      long[] flat = new long[3 * b * len];
      for (int a = 0; a < 3; a++) {
        for (int r = 0; r < b; r++) {
          System.arraycopy(pos[a][r], 0, flat, (a * b + r) * len, len);
        }
      }
      assertThat(flat).containsExactly(TestFiles.longs(outputs.get("position_ids")));
      long[] deltas = new long[b];
      for (int r = 0; r < b; r++) {
        deltas[r] = Qwen2VlPositions.of(Arrays.copyOfRange(ids, r * len, (r + 1) * len),
            Arrays.copyOfRange(mask, r * len, (r + 1) * len), 997, List.of(images.get(r).grid()), 2).ropeDelta();
      }
      assertThat(deltas).containsExactly(TestFiles.longs(outputs.get("rope_deltas")));

      // decoder and head
      NDArray hidden = model.forward(batch, in);
      long[] last = new long[b];
      long[] end = new long[b];
      for (int i = 0; i < b; i++) {
        last[i] = lengths[i] - 1;
        end[i] = len - 1;
      }
      float[] lastToken = model.lm().logits(CausalLm.gather(hidden, last)).toFloatArray();
      float[] lastPosition = model.lm().logits(CausalLm.gather(hidden, end)).toFloatArray();
      NDArray m = batch.create(mask, new Shape(b, len)).expandDims(-1).toType(hidden.getDataType(), false);
      float[] h = hidden.mul(m).toFloatArray();
      double dToken = TestFiles.maxAbsDiff(lastToken, TestFiles.floats(outputs.get("logits_last_token")));
      double dPosition = TestFiles.maxAbsDiff(lastPosition, TestFiles.floats(outputs.get("logits_last_position")));
      double dHidden = TestFiles.maxAbsDiff(h, TestFiles.floats(outputs.get("last_hidden_state")));
      System.out.printf("golden Qwen2VLForConditionalGeneration max|Δ| image_embeds = %.3g, logits last token = %.3g, "
          + "last position = %.3g, hidden = %.3g (tolerance %.0e)%n", dEmbeds, dToken, dPosition, dHidden, TOLERANCE);
      assertThat(dEmbeds).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dToken).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dPosition).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dHidden).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void should_give_the_same_image_embeddings_when_attention_runs_in_small_query_blocks() {
    Path dir = TestFiles.resource("golden/Qwen2VLForConditionalGeneration");
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    float[] pixels = TestFiles.floats(map(expected.get("inputs")).get("pixel_values"));
    float[] want = TestFiles.floats(map(expected.get("outputs")).get("image_embeds"));
    Qwen2VlConfig config = Qwen2VlConfig.read(dir.resolve("config.json"));
    try (dev.rerankers.transformers.checkpoint.Weights w = dev.rerankers.transformers.checkpoint.Weights.open(ModelSource.local(dir),
            Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      // 2 heads x 24 patches: a budget of 100 scores gives blocks of 2 query rows (12 blocks per image)
      Qwen2VlVision vision = Qwen2VlVision.load(w, "visual.", config.vision(), 100);
      int n = 24 * config.vision().patchValues();
      float[] first = vision.forward(batch.create(Arrays.copyOfRange(pixels, 0, n), new Shape(24, 96)), 1, 4, 6)
          .toFloatArray();
      double d = TestFiles.maxAbsDiff(first, Arrays.copyOfRange(want, 0, first.length));
      System.out.printf("golden Qwen2-VL vision in 2-row query blocks: max|Δ image_embeds| = %.3g (tolerance %.0e)%n",
          d, TOLERANCE);
      assertThat(d).isLessThanOrEqualTo(TOLERANCE);
    }
  }
}
