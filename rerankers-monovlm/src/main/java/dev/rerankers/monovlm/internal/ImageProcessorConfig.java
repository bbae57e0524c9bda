package dev.rerankers.monovlm.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.json.JsonFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Qwen2-VL {@code preprocessor_config.json} ({@code Qwen2VLImageProcessor}): the pixel budget
 * ({@code min_pixels}/{@code max_pixels}, or transformers 5's {@code size.shortest_edge}/{@code
 * size.longest_edge}, which despite their names are pixel counts; the v4 keys win when both are
 * present, as in transformers), the patch geometry and the normalisation. Defaults are
 * transformers'.
 *
 * @param minPixels the fewest pixels after resizing (default 56·56)
 * @param maxPixels the most pixels after resizing (default 28·28·1280)
 * @param patchSize {@code patch_size} (default 14)
 * @param temporalPatchSize {@code temporal_patch_size} (default 2): an image is repeated this many
 *     times in time
 * @param mergeSize {@code merge_size} (default 2)
 * @param mean {@code image_mean} per channel (default CLIP's)
 * @param std {@code image_std} per channel (default CLIP's)
 * @param rescaleFactor {@code rescale_factor} (default 1/255)
 * @param doResize {@code do_resize}
 * @param doRescale {@code do_rescale}
 * @param doNormalize {@code do_normalize}
 */
public record ImageProcessorConfig(long minPixels, long maxPixels, int patchSize, int temporalPatchSize, int mergeSize,
    float[] mean, float[] std, double rescaleFactor, boolean doResize, boolean doRescale, boolean doNormalize) {
  /** OpenAI CLIP's mean. */
  static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
  /** OpenAI CLIP's standard deviation. */
  static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

  public ImageProcessorConfig {
    if (patchSize <= 0 || temporalPatchSize <= 0 || mergeSize <= 0) {
      throw new ConfigException("patch_size, temporal_patch_size and merge_size must be positive, got " + patchSize
          + ", " + temporalPatchSize + ", " + mergeSize);
    }
    if (minPixels <= 0 || maxPixels < minPixels) {
      throw new ConfigException("the pixel budget needs 0 < min_pixels <= max_pixels, got " + minPixels + " and "
          + maxPixels);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new ConfigException("image_mean and image_std need 3 values (RGB), got " + mean.length + " and "
          + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new ConfigException("image_std values must be positive, got " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** transformers' defaults. */
  public static ImageProcessorConfig defaults() {
    return new ImageProcessorConfig(56 * 56, 28 * 28 * 1280, 14, 2, 2, floats(CLIP_MEAN), floats(CLIP_STD),
        1 / 255.0, true, true, true);
  }

  /** This config with another pixel budget (either may be null to keep the current value). */
  public ImageProcessorConfig withPixels(Long min, Long max) {
    return new ImageProcessorConfig(min == null ? minPixels : min, max == null ? maxPixels : max, patchSize,
        temporalPatchSize, mergeSize, mean, std, rescaleFactor, doResize, doRescale, doNormalize);
  }

  /** The side multiple resized images snap to: {@code patch_size · merge_size}. */
  public int factor() {
    return patchSize * mergeSize;
  }

  /**
   * Reads a preprocessor_config.json.
   *
   * @throws ModelLoadException when it cannot be read
   * @throws ConfigException for an unsupported value
   */
  public static ImageProcessorConfig read(Path file) {
    Map<String, Object> m = JsonFile.readObject(file);
    String where = file.toString();
    Object type = m.get("image_processor_type");
    if (type != null && !type.toString().startsWith("Qwen2VLImageProcessor")) {
      throw new ConfigException(where + ": image_processor_type " + type + " is not Qwen2-VL's");
    }
    Object resample = m.get("resample");
    if (resample != null && !(resample instanceof Number n && n.intValue() == 3)) {
      throw new ConfigException(where + ": resample " + resample + " is not supported (only 3, bicubic, as Qwen2-VL uses)");
    }
    ImageProcessorConfig d = defaults();
    long min = d.minPixels();
    long max = d.maxPixels();
    if (m.get("size") instanceof Map<?, ?> size) {
      min = number(where, size.get("shortest_edge"), min);
      max = number(where, size.get("longest_edge"), max);
    }
    min = number(where, m.get("min_pixels"), min);
    max = number(where, m.get("max_pixels"), max);
    return new ImageProcessorConfig(min, max,
        (int) number(where, m.get("patch_size"), d.patchSize()),
        (int) number(where, m.get("temporal_patch_size"), d.temporalPatchSize()),
        (int) number(where, m.get("merge_size"), d.mergeSize()),
        triple(where, "image_mean", m.get("image_mean"), CLIP_MEAN),
        triple(where, "image_std", m.get("image_std"), CLIP_STD),
        m.get("rescale_factor") instanceof Number n ? n.doubleValue() : d.rescaleFactor(),
        bool(m.get("do_resize")), bool(m.get("do_rescale")), bool(m.get("do_normalize")));
  }

  private static long number(String where, Object o, long def) {
    if (o == null) {
      return def;
    }
    if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(where + ": expected an integer, got " + o);
    }
    return n.longValue();
  }

  private static boolean bool(Object o) {
    return !(o instanceof Boolean b) || b;
  }

  /** The list as float32 (torch.tensor of the Python floats), or the default. */
  private static float[] triple(String where, String key, Object o, double[] def) {
    if (o == null) {
      return floats(def);
    }
    if (o instanceof Number n) {
      return new float[] {n.floatValue(), n.floatValue(), n.floatValue()};
    }
    if (!(o instanceof List<?> l) || l.size() != 3 || !l.stream().allMatch(Number.class::isInstance)) {
      throw new ConfigException(where + ": " + key + " must be 3 numbers, got " + o);
    }
    float[] f = new float[3];
    for (int i = 0; i < 3; i++) {
      f[i] = ((Number) l.get(i)).floatValue();
    }
    return f;
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
