package dev.rerankers.monovlm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.monovlm.testing.Fixture;
import dev.rerankers.testing.SharedData;
import dev.rerankers.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image processor against transformers' Qwen2VLImageProcessor (torchvision backend, the
 * default): resized size, grid and every pixel-patch value bit-exact, for images shrunk to
 * max_pixels, grown to min_pixels and snapped with banker's rounding; and on the shared golden
 * image (no resize).
 */
class Qwen2VlImageProcessorTest {


  @Test
  void should_match_transformers_pixel_values_exactly_after_resizing() throws IOException {
    Map<String, Object> expected = Fixture.expected();
    ImageProcessorConfig config = ImageProcessorConfig.read(Fixture.dir().resolve("tiny-qwen2vl/preprocessor_config.json"));
    assertThat(config.minPixels()).isEqualTo(256);
    assertThat(config.maxPixels()).isEqualTo(1024);
    Qwen2VlImageProcessor processor = new Qwen2VlImageProcessor(config);
    for (Map<String, Object> image : TestFiles.maps(expected.get("images"))) {
      String file = (String) image.get("file");
      int w = ((Number) image.get("width")).intValue();
      int h = ((Number) image.get("height")).intValue();
      long[] rgb = TestFiles.longs(image.get("rgb"));
      byte[] bytes = new byte[rgb.length];
      for (int i = 0; i < rgb.length; i++) {
        bytes[i] = (byte) rgb[i];
      }
      // the processor alone, on PIL's decoding of the file
      Qwen2VlImageProcessor.Patches patches = processor.process(new RgbImage(w, h, bytes));
      long[] grid = TestFiles.longs(image.get("image_grid_thw"));
      assertThat(new long[] {patches.gridT(), patches.gridH(), patches.gridW()}).containsExactly(grid);
      float[] want = TestFiles.floats(image.get("pixel_values"));
      int differing = 0;
      for (int i = 0; i < want.length; i++) {
        if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(patches.values()[i])) {
          differing++;
        }
      }
      System.out.printf("processor %s %dx%d -> %dx%d: %d of %d pixel values differ (max|Δ| %.3g; exact expected)%n",
          file, w, h, grid[2] * 4, grid[1] * 4, differing, want.length, TestFiles.maxAbsDiff(want, patches.values()));
      assertThat(differing).as(file).isZero();

      // decoding the file with ImageIO: PNG gives PIL's pixels exactly
      RgbImage decoded = ImageDecoder.decode(Files.readAllBytes(Fixture.dir().resolve("images/" + file)), file,
          ImageOptions.DEFAULT_MAX_PIXELS);
      int maxDiff = 0;
      for (int i = 0; i < bytes.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((decoded.rgb()[i] & 0xff) - (bytes[i] & 0xff)));
      }
      System.out.printf("decode %s (%s): max |ImageIO − PIL| = %d grey levels%n", file, image.get("mode"), maxDiff);
      if (file.endsWith(".png")) {
        assertThat(decoded.rgb()).as(file).isEqualTo(bytes);
      } else {
        assertThat(maxDiff).as(file + ": JPEG decoders may round differently").isLessThanOrEqualTo(8);
      }
    }
  }

  @Test
  void should_match_the_shared_golden_pixel_values_without_resizing() {
    Path dir = SharedData.require("golden/Qwen2VLForConditionalGeneration");
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    Map<String, Object> settings = TestFiles.map(expected.get("image_processor"));
    Map<String, Object> size = TestFiles.map(settings.get("size"));
    float[] mean = TestFiles.floats(settings.get("image_mean"));
    float[] std = TestFiles.floats(settings.get("image_std"));
    ImageProcessorConfig config = new ImageProcessorConfig(((Number) size.get("shortest_edge")).longValue(),
        ((Number) size.get("longest_edge")).longValue(), 4, 2, 2, mean, std,
        ((Number) settings.get("rescale_factor")).doubleValue(), true, true, true);
    Map<String, Object> inputs = TestFiles.map(expected.get("inputs"));
    long[] rgb = TestFiles.longs(inputs.get("image_rgb"));
    byte[] bytes = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      bytes[i] = (byte) rgb[i];
    }
    Qwen2VlImageProcessor.Patches patches = new Qwen2VlImageProcessor(config).process(new RgbImage(24, 16, bytes));
    assertThat(new int[] {patches.gridT(), patches.gridH(), patches.gridW()}).containsExactly(1, 4, 6);
    float[] all = TestFiles.floats(inputs.get("pixel_values"));
    float[] first = java.util.Arrays.copyOf(all, all.length / 2); // the same image twice
    double d = TestFiles.maxAbsDiff(first, patches.values());
    System.out.printf("processor golden 24x16: max|Δ pixel_values| = %.3g (exact expected)%n", d);
    for (int i = 0; i < first.length; i++) {
      assertThat(Float.floatToIntBits(patches.values()[i])).isEqualTo(Float.floatToIntBits(first[i]));
    }
  }

  @Test
  void should_smart_resize_like_transformers() {
    // Python: smart_resize(h, w, factor=28, min_pixels=56*56, max_pixels=28*28*1280)
    assertThat(Qwen2VlImageProcessor.smartResize(1080, 1920, 28, 3136, 1003520)).containsExactly(728, 1316);
    assertThat(Qwen2VlImageProcessor.smartResize(28, 20, 8, 256, 1024)).containsExactly(32, 16); // round(3.5)=4, round(2.5)=2
    assertThat(Qwen2VlImageProcessor.smartResize(10, 13, 8, 256, 1024)).containsExactly(16, 24);
    assertThat(Qwen2VlImageProcessor.smartResize(45, 61, 8, 256, 1024)).containsExactly(24, 32);
    assertThat(Qwen2VlImageProcessor.smartResize(1, 1, 28, 3136, 1003520)).containsExactly(56, 56);
    assertThatThrownBy(() -> Qwen2VlImageProcessor.smartResize(1, 500, 28, 3136, 1003520))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspect ratio");
  }
}
