package dev.rerankers.monovlm.internal;

import java.util.Objects;

/**
 * Qwen2-VL's image preprocessing, as transformers' default {@code Qwen2VLImageProcessor}
 * (torchvision backend) computes it, bit for bit:
 *
 * <ol>
 *   <li>{@link #smartResize}: both sides snapped to multiples of {@code patch · merge}, the pixel
 *       count kept within {@code [min_pixels, max_pixels]}, the aspect ratio nearly kept;
 *   <li>antialiased bicubic resize of the 8-bit image ({@link BicubicResampler});
 *   <li>{@code (x − mean/rescale) / (std/rescale)} in float32 (torchvision's fused rescale and
 *       normalise);
 *   <li>patches of {@code patch × patch} pixels, grouped in {@code merge × merge} windows (each
 *       window's patches consecutive), each flattened as channel, time (the image repeated {@code
 *       temporal_patch_size} times), row, column.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class Qwen2VlImageProcessor {
  private final ImageProcessorConfig config;

  /** A processor with these settings. */
  public Qwen2VlImageProcessor(ImageProcessorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The settings. */
  public ImageProcessorConfig config() {
    return config;
  }

  /**
   * An image's patches.
   *
   * @param values {@code gridT · gridH · gridW} rows of {@code 3 · T · P · P} values, row-major
   * @param gridT temporal patches (1 for an image)
   * @param gridH patch rows
   * @param gridW patch columns
   */
  public record Patches(float[] values, int gridT, int gridH, int gridW) {}

  /**
   * transformers' {@code smart_resize}: {@code [height, width]} after resizing. Python's {@code
   * round} (half to even), {@code floor} and {@code ceil} on doubles, as there.
   *
   * @throws IllegalArgumentException when the aspect ratio exceeds 200
   */
  public static int[] smartResize(int height, int width, int factor, long minPixels, long maxPixels) {
    double ratio = (double) Math.max(height, width) / Math.min(height, width);
    if (ratio > 200) {
      throw new IllegalArgumentException("absolute aspect ratio must be smaller than 200, got " + ratio + " ("
          + width + "x" + height + ")");
    }
    long hBar = (long) Math.rint((double) height / factor) * factor;
    long wBar = (long) Math.rint((double) width / factor) * factor;
    if (hBar * wBar > maxPixels) {
      double beta = Math.sqrt((double) ((long) height * width) / maxPixels);
      hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
      wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
    } else if (hBar * wBar < minPixels) {
      double beta = Math.sqrt((double) minPixels / ((long) height * width));
      hBar = (long) Math.ceil(height * beta / factor) * factor;
      wBar = (long) Math.ceil(width * beta / factor) * factor;
    }
    return new int[] {Math.toIntExact(hBar), Math.toIntExact(wBar)};
  }

  /**
   * Preprocesses one image.
   *
   * @throws IllegalArgumentException when the image cannot be resized within the settings
   *     (aspect ratio over 200, or a side not a multiple of the patch size without resizing)
   */
  public Patches process(RgbImage image) {
    int p = config.patchSize();
    int merge = config.mergeSize();
    RgbImage resized = image;
    if (config.doResize()) {
      int[] size = smartResize(image.height(), image.width(), config.factor(), config.minPixels(), config.maxPixels());
      if (size[0] != image.height() || size[1] != image.width()) {
        resized = BicubicResampler.resize(image, size[0], size[1]);
      }
    }
    int h = resized.height();
    int w = resized.width();
    if (h % (p * merge) != 0 || w % (p * merge) != 0) {
      throw new IllegalArgumentException("an image of " + w + "x" + h + " cannot be cut into " + p + "-pixel patches in "
          + merge + "x" + merge + " windows (do_resize is off)");
    }
    float[][] planes = normalise(resized);
    int gh = h / p;
    int gw = w / p;
    int t = config.temporalPatchSize();
    int row = 3 * t * p * p;
    float[] out = new float[Math.multiplyExact(gh * gw, row)];
    int r = 0;
    for (int hb = 0; hb < gh / merge; hb++) {
      for (int wb = 0; wb < gw / merge; wb++) {
        for (int mh = 0; mh < merge; mh++) {
          for (int mw = 0; mw < merge; mw++) {
            int y0 = (hb * merge + mh) * p;
            int x0 = (wb * merge + mw) * p;
            int o = r * row;
            for (int c = 0; c < 3; c++) {
              for (int f = 0; f < t; f++) {
                for (int py = 0; py < p; py++) {
                  System.arraycopy(planes[c], (y0 + py) * w + x0, out, o, p);
                  o += p;
                }
              }
            }
            r++;
          }
        }
      }
    }
    return new Patches(out, 1, gh, gw);
  }

  /** Channel planes in float32: torchvision's fused {@code (x − mean·(1/rescale)) / (std·(1/rescale))}. */
  private float[][] normalise(RgbImage image) {
    int n = image.width() * image.height();
    float[][] planes = new float[3][n];
    byte[] rgb = image.rgb();
    float inverse = (float) (1.0 / config.rescaleFactor());
    float rescale = (float) config.rescaleFactor();
    for (int c = 0; c < 3; c++) {
      float mean = config.mean()[c];
      float std = config.std()[c];
      if (config.doRescale() && config.doNormalize()) {
        mean = mean * inverse;
        std = std * inverse;
      }
      float[] plane = planes[c];
      for (int i = 0; i < n; i++) {
        float x = rgb[i * 3 + c] & 0xff;
        if (config.doNormalize()) {
          plane[i] = (x - mean) / std;
        } else if (config.doRescale()) {
          plane[i] = x * rescale;
        } else {
          plane[i] = x;
        }
      }
    }
    return planes;
  }
}
