package dev.rerankers.monovlm.internal;

import dev.rerankers.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and permissions for reading image documents.
 *
 * @param allowUrls whether {@code Document.Image.fromUrl} images may be fetched (http/https only)
 * @param maxBytes the largest encoded image accepted (file, bytes, base64 or download)
 * @param maxPixels the largest {@code width · height} decoded; checked from the header first
 * @param timeout the timeout of one URL fetch
 */
public record ImageOptions(boolean allowUrls, long maxBytes, long maxPixels, Duration timeout) {
  /** 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  /** 50 megapixels (PIL warns above 89 MP and refuses above 179 MP). */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
  /** 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public ImageOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new ConfigException("maxImageBytes must be between 1 and " + (Integer.MAX_VALUE - 16) + ", got " + maxBytes);
    }
    if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE / 4) {
      throw new ConfigException("maxImagePixels must be between 1 and " + Integer.MAX_VALUE / 4 + ", got " + maxPixels);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException("the image fetch timeout must be positive, got " + timeout);
    }
  }

  /** The defaults: no URL fetching, 64 MiB, 50 MP, 30 s. */
  public static ImageOptions defaults() {
    return new ImageOptions(false, DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_TIMEOUT);
  }
}
