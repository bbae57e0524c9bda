package dev.rerankers.monovlm.internal;

/**
 * Antialiased bicubic resizing of 8-bit images, bit-exact with what transformers' default
 * (torchvision) Qwen2-VL image processor runs: {@code torchvision.transforms.v2.functional.resize}
 * on a {@code uint8} tensor with {@code BICUBIC} and {@code antialias=True}, i.e. PyTorch's
 * {@code _upsample_bicubic2d_aa} uint8 kernel (the Pillow-SIMD algorithm).
 *
 * <p>Separable: a horizontal pass (when the width changes) into an 8-bit intermediate, then a
 * vertical pass (when the height changes). Per output sample, the Keys cubic ({@code a = −0.5}) is
 * stretched by the scale when shrinking ({@code support = 2·scale}), its taps normalised to sum to
 * 1 in double precision, then rounded to 16-bit fixed point with the largest precision that keeps
 * the table's biggest weight below 2¹⁵; the sum of {@code pixel · weight} plus half an output step
 * is shifted back and clamped to 0..255. (Pillow itself uses 22-bit weights, which differ from
 * this by one grey level on some pixels when shrinking.)
 *
 * <p>Stateless and thread-safe.
 */
public final class BicubicResampler {
  private BicubicResampler() {}

  /** The image resized to {@code height × width}. */
  public static RgbImage resize(RgbImage image, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("cannot resize to " + width + "x" + height);
    }
    byte[] data = image.rgb();
    int h = image.height();
    int w = image.width();
    if (w != width) {
      data = horizontal(data, h, w, width);
      w = width;
    }
    if (h != height) {
      data = vertical(data, h, w, height);
    }
    return data == image.rgb() ? new RgbImage(width, height, data.clone()) : new RgbImage(width, height, data);
  }

  /** One dimension's taps: for output {@code i}, inputs {@code min[i] .. min[i]+size[i]-1}. */
  record Taps(int[] min, int[] size, int[] weights, int stride, int precision) {}

  /** PyTorch's {@code _compute_index_ranges_int16_weights} for the antialiased bicubic filter. */
  static Taps taps(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double support = scale >= 1.0 ? 2.0 * scale : 2.0;
    int stride = (int) Math.ceil(support) * 2 + 1;
    double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
    int[] min = new int[outSize];
    int[] size = new int[outSize];
    double[] w = new double[outSize * stride];
    double max = 0;
    for (int i = 0; i < outSize; i++) {
      double center = scale * (i + 0.5);
      long xmin = Math.max((long) (center - support + 0.5), 0L);
      long xsize = Math.min((long) (center + support + 0.5), (long) inSize) - xmin;
      xsize = Math.max(0, Math.min(xsize, stride));
      double total = 0;
      for (int j = 0; j < xsize; j++) {
        double v = filter((j + xmin - center + 0.5) * invScale);
        w[i * stride + j] = v;
        total += v;
      }
      if (total != 0.0) {
        for (int j = 0; j < xsize; j++) {
          w[i * stride + j] /= total;
          max = Math.max(max, w[i * stride + j]);
        }
      }
      min[i] = (int) xmin;
      size[i] = (int) xsize;
    }
    int precision;
    for (precision = 0; precision < 22; precision++) {
      int next = (int) (0.5 + max * (1 << (precision + 1)));
      if (next >= (1 << 15)) {
        break;
      }
    }
    int[] fixed = new int[w.length];
    for (int k = 0; k < w.length; k++) {
      double v = w[k] * (1 << precision);
      fixed[k] = (short) (int) (v < 0 ? v - 0.5 : v + 0.5);
    }
    return new Taps(min, size, fixed, stride, precision);
  }

  /** Keys' cubic convolution with {@code a = −0.5}, as PyTorch writes it. */
  static double filter(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2.0) {
      return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
    return 0.0;
  }

  private static byte[] horizontal(byte[] src, int h, int w, int outW) {
    Taps t = taps(w, outW);
    byte[] out = new byte[h * outW * 3];
    int half = 1 << (t.precision() - 1);
    for (int y = 0; y < h; y++) {
      int rowIn = y * w * 3;
      int rowOut = y * outW * 3;
      for (int x = 0; x < outW; x++) {
        int base = x * t.stride();
        int first = t.min()[x];
        for (int c = 0; c < 3; c++) {
          int acc = half;
          for (int j = 0; j < t.size()[x]; j++) {
            acc += (src[rowIn + (first + j) * 3 + c] & 0xff) * t.weights()[base + j];
          }
          out[rowOut + x * 3 + c] = clamp(acc >> t.precision());
        }
      }
    }
    return out;
  }

  private static byte[] vertical(byte[] src, int h, int w, int outH) {
    Taps t = taps(h, outH);
    byte[] out = new byte[outH * w * 3];
    int half = 1 << (t.precision() - 1);
    int row = w * 3;
    for (int y = 0; y < outH; y++) {
      int base = y * t.stride();
      int first = t.min()[y];
      for (int k = 0; k < row; k++) {
        int acc = half;
        for (int j = 0; j < t.size()[y]; j++) {
          acc += (src[(first + j) * row + k] & 0xff) * t.weights()[base + j];
        }
        out[y * row + k] = clamp(acc >> t.precision());
      }
    }
    return out;
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
