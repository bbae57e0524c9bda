package dev.rerankers.monovlm.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG bytes with the JDK's ImageIO into 8-bit RGB, as PIL's {@code
 * Image.open(...).convert("RGB")} does: alpha is dropped (not composited), grey is replicated,
 * palettes are expanded, and sample values are taken as stored (no colour management; 16-bit
 * samples keep their high byte). EXIF orientation is not applied (PIL's {@code open} does not
 * either).
 *
 * <p>Hostile input fails with an {@link IllegalArgumentException} naming the problem, before
 * memory is committed: the format is recognised from its signature, and the width and height are
 * read from the header and checked (positive, {@code width · height ≤ maxPixels}) before any
 * pixel is decoded; truncated or corrupt data is reported rather than padded with grey.
 *
 * <p>Stateless and thread-safe.
 */
public final class ImageDecoder {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private ImageDecoder() {}

  /**
   * Decodes an image.
   *
   * @param data the encoded bytes
   * @param what how to name the image in messages
   * @param maxPixels the largest {@code width · height} accepted
   * @throws IllegalArgumentException when the data is not a PNG or JPEG, declares no or too many
   *     pixels, or is truncated or corrupt
   */
  public static RgbImage decode(byte[] data, String what, long maxPixels) {
    String format = format(data, what);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IllegalStateException("the JDK has no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    // in memory: ImageIO.createImageInputStream would spill to temporary files (ImageIO's disk cache)
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      int width;
      int height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(what + " is a " + label(format) + " whose header cannot be read ("
            + e.getMessage() + "): the file is corrupt, truncated or has a 0x0 size", e);
      }
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException(what + " is a " + label(format) + " of " + width + "x" + height
            + " pixels; an image needs at least one pixel");
      }
      if ((long) width * height > maxPixels) {
        throw new IllegalArgumentException(what + " is a " + label(format) + " of " + width + "x" + height + " = "
            + (long) width * height + " pixels, over the maxImagePixels limit of " + maxPixels
            + " (it is not decoded); downscale it first or raise the option");
      }
      BufferedImage image;
      try {
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(what + " is a " + label(format) + " of " + width + "x" + height
            + " whose pixel data cannot be decoded (" + e.getMessage() + "): the file is corrupt or truncated", e);
      }
      for (String w : warnings) {
        String lower = w.toLowerCase(Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("truncat")) {
          throw new IllegalArgumentException(what + " is a truncated " + label(format) + " (" + w + ")");
        }
      }
      return toRgb(image, what);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be read as an image: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  /** {@code "png"} or {@code "jpeg"} from the signature. */
  static String format(byte[] data, String what) {
    if (data.length >= PNG.length && Arrays.equals(data, 0, PNG.length, PNG, 0, PNG.length)) {
      return "png";
    }
    if (data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff) {
      return "jpeg";
    }
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < Math.min(8, data.length); i++) {
      head.append(String.format("%02x", data[i] & 0xff));
    }
    throw new IllegalArgumentException(what + " is not a PNG or JPEG image (" + data.length + " bytes, starting "
        + (head.length() == 0 ? "with nothing" : "0x" + head) + "); image rankers read PNG and JPEG: convert it first");
  }

  private static String label(String format) {
    return format.equals("png") ? "PNG" : "JPEG";
  }

  /** PIL's {@code convert("RGB")} of the decoded samples. */
  static RgbImage toRgb(BufferedImage image, String what) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          out[o] = (byte) icm.getRed(row[x]);
          out[o + 1] = (byte) icm.getGreen(row[x]);
          out[o + 2] = (byte) icm.getBlue(row[x]);
        }
      }
    } else if (cm instanceof ComponentColorModel) {
      int type = cm.getColorSpace().getType();
      int colors = cm.getNumColorComponents();
      if (!((type == ColorSpace.TYPE_GRAY && colors == 1) || (type == ColorSpace.TYPE_RGB && colors == 3))) {
        throw new IllegalArgumentException(what + " uses a " + colors + "-channel colour space of type " + type
            + " (CMYK or YCCK?); convert it to RGB first");
      }
      int bands = raster.getNumBands();
      int shift = Math.max(0, cm.getComponentSize(0) - 8);
      int[] row = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          int p = x * bands;
          if (colors == 1) {
            byte v = (byte) (row[p] >>> shift);
            out[o] = v;
            out[o + 1] = v;
            out[o + 2] = v;
          } else {
            out[o] = (byte) (row[p] >>> shift);
            out[o + 1] = (byte) (row[p + 1] >>> shift);
            out[o + 2] = (byte) (row[p + 2] >>> shift);
          }
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          out[o] = (byte) (row[x] >>> 16);
          out[o + 1] = (byte) (row[x] >>> 8);
          out[o + 2] = (byte) row[x];
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
