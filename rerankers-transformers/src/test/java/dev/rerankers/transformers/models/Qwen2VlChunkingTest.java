package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CPU chunks of Qwen2-VL change no number, on the golden checkpoint: the vision tower's
 * feed-forward one patch per chunk (real images run it in chunks of ~800 patches) against
 * transformers' image embeddings, and the decoder's feed-forward one token per chunk against the
 * unchunked logits. Tolerance 1e-4 against transformers, 1e-5 between the two.
 */
class Qwen2VlChunkingTest {
  static final Path DIR = TestFiles.resource("golden/Qwen2VLForConditionalGeneration");

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void should_give_the_same_image_embeddings_with_the_feed_forward_in_chunks() {
    Map<String, Object> expected = TestFiles.json(DIR.resolve("expected.json"));
    float[] pixels = TestFiles.floats(map(expected.get("inputs")).get("pixel_values"));
    float[] want = TestFiles.floats(map(expected.get("outputs")).get("image_embeds"));
    Qwen2VlConfig config = Qwen2VlConfig.read(DIR.resolve("config.json"));
    try (Weights w = Weights.open(ModelSource.local(DIR), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      Qwen2VlVision chunked = Qwen2VlVision.load(w, "visual.", config.vision(), 1L << 26, 1);
      int n = 24 * config.vision().patchValues();
      float[] got = chunked.forward(batch.create(Arrays.copyOfRange(pixels, 0, n), new Shape(24, 96)), 1, 4, 6)
          .toFloatArray();
      double d = TestFiles.maxAbsDiff(got, Arrays.copyOfRange(want, 0, got.length));
      System.out.printf("golden Qwen2-VL vision, feed-forward one patch per chunk: max|Δ image_embeds| = %.3g%n", d);
      assertThat(d).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void should_give_the_same_logits_with_the_decoder_feed_forward_in_chunks() {
    Map<String, Object> expected = TestFiles.json(DIR.resolve("expected.json"));
    Map<String, Object> inputs = map(expected.get("inputs"));
    List<?> shape = (List<?>) map(expected.get("shapes")).get("input_ids");
    int b = ((Number) shape.get(0)).intValue();
    int len = ((Number) shape.get(1)).intValue();
    long[] lengths = TestFiles.longs(expected.get("lengths"));
    float[] pixels = TestFiles.floats(inputs.get("pixel_values"));
    long[] grids = TestFiles.longs(inputs.get("image_grid_thw"));
    try (Qwen2VlModel model = Qwen2VlModel.load(ModelSource.local(DIR), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      List<Qwen2VlModel.Image> images = new ArrayList<>();
      int offset = 0;
      for (int i = 0; i < grids.length / 3; i++) {
        int n = (int) (grids[3 * i] * grids[3 * i + 1] * grids[3 * i + 2]) * model.config().vision().patchValues();
        images.add(new Qwen2VlModel.Image(Arrays.copyOfRange(pixels, offset, offset + n), (int) grids[3 * i],
            (int) grids[3 * i + 1], (int) grids[3 * i + 2]));
        offset += n;
      }
      Qwen2VlModel.Batch in = new Qwen2VlModel.Batch(TestFiles.longs(inputs.get("input_ids")),
          TestFiles.longs(inputs.get("attention_mask")), b, len, images);
      long[] last = new long[b];
      for (int i = 0; i < b; i++) {
        last[i] = lengths[i] - 1;
      }
      NDArray whole = model.forward(batch, in, 0);
      NDArray chunked = model.forward(batch, in, 1);
      float[] a = model.lm().logits(CausalLm.gather(whole, last)).toFloatArray();
      float[] c = model.lm().logits(CausalLm.gather(chunked, last)).toFloatArray();
      double d = TestFiles.maxAbsDiff(a, c);
      double ref = TestFiles.maxAbsDiff(c, TestFiles.floats(map(expected.get("outputs")).get("logits_last_token")));
      System.out.printf("golden Qwen2-VL decoder feed-forward one token per chunk: max|Δ logits| vs unchunked = %.3g, "
          + "vs transformers = %.3g%n", d, ref);
      assertThat(d).isLessThanOrEqualTo(1e-5);
      assertThat(ref).isLessThanOrEqualTo(1e-4);
    }
  }
}
