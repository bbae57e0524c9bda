package dev.rerankers;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document to rank: a text, or an image (with an optional text), an id of the caller's choosing
 * and free-form metadata that comes back untouched on the {@link Result}.
 *
 * <p>The id is a {@link String}, {@link Integer} or {@link Long}, preserved exactly as given; it
 * may be {@code null}, in which case {@link Reranker} assigns the document's position (0..n-1),
 * as the Python library does. Metadata keeps its insertion order and may hold {@code null} values.
 *
 * @param id the caller's id ({@code String}, {@code Integer}, {@code Long}) or {@code null}
 * @param text the text; required unless {@code image} is set
 * @param metadata free-form metadata, never {@code null} (empty when absent)
 * @param image the image for image rankers, or {@code null} for a text document
 */
public record Document(Object id, String text, Map<String, Object> metadata, Image image) {

  public Document {
    checkId(id);
    if (text == null && image == null) {
      throw new IllegalArgumentException("a Document needs a text or an image; both are null");
    }
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A text document without id or metadata. */
  public static Document of(String text) {
    return new Document(null, requireText(text), null, null);
  }

  /** A text document with the caller's id. */
  public static Document of(Object id, String text) {
    return new Document(id, requireText(text), null, null);
  }

  /** A text document with the caller's id and metadata. */
  public static Document of(Object id, String text, Map<String, ?> metadata) {
    return new Document(id, requireText(text), copyMetadata(metadata), null);
  }

  /** An image document. */
  public static Document of(Image image) {
    return new Document(null, null, null, Objects.requireNonNull(image, "image"));
  }

  /** Wraps texts as documents without ids (ids become 0..n-1 when ranked). */
  public static List<Document> texts(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<Document> docs = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null) {
        throw new IllegalArgumentException("texts[" + i + "] is null");
      }
      docs.add(of(t));
    }
    return docs;
  }

  /** This document with another id. */
  public Document withId(Object newId) {
    return new Document(newId, text, metadata, image);
  }

  /** This document with other metadata. */
  public Document withMetadata(Map<String, ?> newMetadata) {
    return new Document(id, text, copyMetadata(newMetadata), image);
  }

  /** Whether this is an image document. */
  public boolean isImage() {
    return image != null;
  }

  private static String requireText(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text is null");
    }
    return text;
  }

  private static Map<String, Object> copyMetadata(Map<String, ?> metadata) {
    return metadata == null ? null : new LinkedHashMap<>(metadata);
  }

  static void checkId(Object id) {
    if (id != null && !(id instanceof String) && !(id instanceof Integer) && !(id instanceof Long)) {
      throw new IllegalArgumentException(
          "a document id must be a String, Integer or Long, got "
              + id.getClass().getName()
              + " ("
              + id
              + ")");
    }
  }

  /**
   * The key two ids are compared by: numbers by value (so {@code 3} and {@code 3L} are the same
   * id), strings as they are.
   */
  static Object idKey(Object id) {
    return id instanceof Number n ? (Object) n.longValue() : id;
  }

  /**
   * Where an image document's pixels come from: a file, bytes in memory (also from base64) or a
   * URL. Image rankers decode it; URLs are fetched only when the ranker is told it may.
   */
  public static final class Image {
    private final Path path;
    private final byte[] bytes;
    private final URI url;

    private Image(Path path, byte[] bytes, URI url) {
      this.path = path;
      this.bytes = bytes;
      this.url = url;
    }

    /** An image file on disk (PNG or JPEG). The file is read when the document is ranked. */
    public static Image fromPath(Path path) {
      return new Image(Objects.requireNonNull(path, "path"), null, null);
    }

    /** Encoded image bytes (PNG or JPEG), copied. */
    public static Image fromBytes(byte[] bytes) {
      Objects.requireNonNull(bytes, "bytes");
      return new Image(null, bytes.clone(), null);
    }

    /** Base64-encoded image bytes (plain or with a {@code data:image/...;base64,} prefix). */
    public static Image fromBase64(String base64) {
      Objects.requireNonNull(base64, "base64");
      String payload = base64;
      int comma = payload.indexOf(',');
      if (payload.startsWith("data:") && comma > 0) {
        payload = payload.substring(comma + 1);
      }
      try {
        return new Image(null, Base64.getMimeDecoder().decode(payload), null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("base64 image is not valid base64: " + e.getMessage(), e);
      }
    }

    /** An image at a URL; rankers refuse to fetch it unless explicitly allowed. */
    public static Image fromUrl(URI url) {
      return new Image(null, null, Objects.requireNonNull(url, "url"));
    }

    /** The file, or {@code null}. */
    public Path path() {
      return path;
    }

    /** A copy of the in-memory bytes, or {@code null}. */
    public byte[] bytes() {
      return bytes == null ? null : bytes.clone();
    }

    /** The URL, or {@code null}. */
    public URI url() {
      return url;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image other
          && Objects.equals(path, other.path)
          && Arrays.equals(bytes, other.bytes)
          && Objects.equals(url, other.url);
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, Arrays.hashCode(bytes), url);
    }

    @Override
    public String toString() {
      if (path != null) {
        return "Image[path=" + path + "]";
      }
      if (url != null) {
        return "Image[url=" + url + "]";
      }
      return "Image[" + bytes.length + " bytes]";
    }
  }
}
