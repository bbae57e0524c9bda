package dev.rerankers.monovlm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.monovlm.testing.Fixture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Hostile and unusual images fail with a clear {@link IllegalArgumentException} before any large
 * allocation: the pixel count is read from the header and checked first (a 100,000 × 100,000 PNG
 * or a 65,000 × 65,000 JPEG header is refused in microseconds, never decoded). Also: truncated
 * PNG and JPEG data, 0×0 images, formats other than PNG/JPEG, and the colour conversions PIL
 * makes (alpha dropped, grey replicated, palette expanded, 16-bit reduced to the high byte).
 */
class ImageDecoderTest {
  static final long LIMIT = ImageOptions.DEFAULT_MAX_PIXELS;

  /** A PNG with the given IHDR and an IDAT of {@code raw} (uncompressed scanlines, deflated). */
  static byte[] png(int width, int height, int bitDepth, int colorType, byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    byte[] buf = new byte[raw.length + 64];
    int n = d.deflate(buf);
    chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void should_refuse_huge_declared_dimensions_from_the_header_without_decoding() throws IOException {
    byte[] bomb = png(100_000, 100_000, 8, 2, new byte[1 + 3]); // 10^10 pixels declared, 4 bytes of data
    long start = System.nanoTime();
    assertThatThrownBy(() -> ImageDecoder.decode(bomb, "bomb.png", LIMIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100000x100000").hasMessageContaining("maxImagePixels").hasMessageContaining("not decoded");
    // the fixture JPEG with its frame header (SOF0) patched to declare 65000 x 65000
    byte[] jpeg = Files.readAllBytes(Fixture.dir().resolve("images/d.jpg"));
    int sof = indexOf(jpeg, new byte[] {(byte) 0xff, (byte) 0xc0});
    jpeg[sof + 5] = (byte) 0xfd;
    jpeg[sof + 6] = (byte) 0xe8;
    jpeg[sof + 7] = (byte) 0xfd;
    jpeg[sof + 8] = (byte) 0xe8;
    assertThatThrownBy(() -> ImageDecoder.decode(jpeg, "bomb.jpg", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65000x65000");
    assertThat((System.nanoTime() - start) / 1e9).as("refused from the header, not decoded").isLessThan(5);
    // the limit is the caller's
    byte[] small = png(200, 200, 8, 2, new byte[200 * 601]);
    assertThatThrownBy(() -> ImageDecoder.decode(small, "small.png", 10_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200x200 = 40000 pixels");
    assertThat(ImageDecoder.decode(small, "small.png", 40_000).width()).isEqualTo(200);
  }

  @Test
  void should_refuse_zero_sized_truncated_and_foreign_images() throws IOException {
    assertThatThrownBy(() -> ImageDecoder.decode(png(0, 0, 8, 2, new byte[1]), "zero.png", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero.png").hasMessageContaining("0x0");
    assertThatThrownBy(() -> ImageDecoder.decode(png(5, 0, 8, 2, new byte[1]), "flat.png", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flat.png");

    byte[] a = Files.readAllBytes(Fixture.dir().resolve("images/a.png"));
    for (int cut : new int[] {a.length / 2, 40, 12}) {
      byte[] truncated = java.util.Arrays.copyOf(a, cut);
      assertThatThrownBy(() -> ImageDecoder.decode(truncated, "cut.png", LIMIT)).as("PNG cut at " + cut)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut.png");
    }
    byte[] d = Files.readAllBytes(Fixture.dir().resolve("images/d.jpg"));
    byte[] truncatedJpeg = java.util.Arrays.copyOf(d, d.length / 2);
    assertThatThrownBy(() -> ImageDecoder.decode(truncatedJpeg, "cut.jpg", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");

    assertThatThrownBy(() -> ImageDecoder.decode("GIF89a....".getBytes(StandardCharsets.US_ASCII), "x.gif", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PNG or JPEG")
        .hasMessageContaining("0x474946");
    assertThatThrownBy(() -> ImageDecoder.decode(new byte[0], "empty", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 bytes");
    // a corrupt IDAT (not zlib) behind a valid header
    byte[] garbage = png(4, 4, 8, 2, new byte[4 * 13]);
    int idat = indexOf(garbage, "IDAT".getBytes(StandardCharsets.US_ASCII));
    garbage[idat + 4] = 0x00;
    garbage[idat + 5] = 0x00;
    assertThatThrownBy(() -> ImageDecoder.decode(garbage, "garbage.png", LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage.png");
  }

  @Test
  void should_convert_like_pil() throws IOException {
    // RGBA: alpha dropped, not composited
    byte[] rgba = png(2, 1, 8, 6, new byte[] {0, 10, 20, 30, 0, (byte) 200, (byte) 150, 100, (byte) 255});
    assertThat(ImageDecoder.decode(rgba, "rgba", LIMIT).rgb()).containsExactly(10, 20, 30, (byte) 200, (byte) 150, 100);
    // grey: replicated (no gamma conversion)
    byte[] grey = png(2, 1, 8, 0, new byte[] {0, 7, (byte) 250});
    assertThat(ImageDecoder.decode(grey, "grey", LIMIT).rgb()).containsExactly(7, 7, 7, (byte) 250, (byte) 250, (byte) 250);
    // 16-bit RGB: the high byte
    byte[] deep = png(1, 1, 16, 2, new byte[] {0, 0x12, 0x34, (byte) 0xab, (byte) 0xcd, (byte) 0xff, (byte) 0xff});
    assertThat(ImageDecoder.decode(deep, "deep", LIMIT).rgb()).containsExactly(0x12, (byte) 0xab, (byte) 0xff);
    // a palette image written by ImageIO
    BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.setRGB(0, 0, 0xff0000);
    indexed.setRGB(1, 0, 0x00ff00);
    indexed.setRGB(2, 0, 0x0000ff);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(indexed, "png", out);
    assertThat(ImageDecoder.decode(out.toByteArray(), "palette", LIMIT).rgb())
        .containsExactly((byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
