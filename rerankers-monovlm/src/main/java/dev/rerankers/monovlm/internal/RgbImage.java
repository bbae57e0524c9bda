package dev.rerankers.monovlm.internal;

import java.util.Objects;

/**
 * A decoded 8-bit RGB image, rows top to bottom, pixels left to right, {@code R G B} per pixel
 * (PIL's {@code image.convert("RGB")} as a {@code uint8} H×W×3 array).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb {@code height · width · 3} bytes (unsigned)
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3) {
      throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs " + (long) width * height * 3
          + " bytes, got " + rgb.length);
    }
  }

  /** The value (0..255) of channel {@code c} at row {@code y}, column {@code x}. */
  public int get(int y, int x, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }
}
