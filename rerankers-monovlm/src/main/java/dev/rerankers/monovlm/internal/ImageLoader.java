package dev.rerankers.monovlm.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads an image document's encoded bytes: a file, bytes in memory (also from base64), or, only
 * when {@link ImageOptions#allowUrls()} is set, an http(s) URL. Every source is held to {@link
 * ImageOptions#maxBytes()} before it is read into memory (a download stops at the limit).
 *
 * <p>Thread-safe. No network access unless URLs are allowed.
 */
public final class ImageLoader {
  private final ImageOptions options;
  private final HttpClient http;

  /** A loader with these limits. */
  public ImageLoader(ImageOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.http = options.allowUrls()
        ? HttpClient.newBuilder().connectTimeout(options.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build()
        : null;
  }

  /** The limits. */
  public ImageOptions options() {
    return options;
  }

  /**
   * The encoded bytes of an image.
   *
   * @param what how to name the document in messages (e.g. {@code "docs[2] (id 7)"})
   * @throws IllegalArgumentException when the file is missing or unreadable, the source is too
   *     large, or it is a URL and URLs are not allowed
   * @throws InferenceException when a URL cannot be fetched
   */
  public byte[] read(Document.Image image, String what) {
    if (image.path() != null) {
      return readFile(image.path(), what);
    }
    if (image.url() != null) {
      return fetch(image.url(), what);
    }
    byte[] bytes = image.bytes();
    checkSize(bytes.length, what + " (in-memory image)");
    return bytes;
  }

  private byte[] readFile(Path path, String what) {
    try {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(what + ": image file " + path + " does not exist or is not a file");
      }
      checkSize(Files.size(path), what + " (image file " + path + ")");
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": cannot read image file " + path + ": " + e, e);
    }
  }

  private byte[] fetch(URI url, String what) {
    if (http == null) {
      throw new IllegalArgumentException(what + ": image URL " + url + " is not fetched: rankers make no network calls "
          + "they were not asked for; set the option allowUrls=true, or pass the image as a file, bytes or base64");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(what + ": image URL " + url + " is not http(s)");
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(options.timeout()).GET().build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new InferenceException(what + ": fetching image URL " + url + " gave HTTP " + response.statusCode());
        }
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > 0) {
          checkSize(declared, what + " (image URL " + url + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = body.read(buf)) >= 0; ) {
          total += n;
          checkSize(total, what + " (image URL " + url + ")");
          out.write(buf, 0, n);
        }
        return out.toByteArray();
      }
    } catch (IOException e) {
      throw new InferenceException(what + ": cannot fetch image URL " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException(what + ": interrupted while fetching image URL " + url, e);
    }
  }

  private void checkSize(long size, String what) {
    if (size > options.maxBytes()) {
      throw new IllegalArgumentException(what + " holds over " + options.maxBytes()
          + " bytes, the maxImageBytes limit; shrink the image or raise the option");
    }
  }
}
