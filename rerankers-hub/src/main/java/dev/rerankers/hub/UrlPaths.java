package dev.rerankers.hub;

import java.nio.charset.StandardCharsets;

/** Percent-encoding for URL paths, as Python's {@code urllib.parse.quote} does it. */
final class UrlPaths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlPaths() {}

  /** A path with '/' kept and everything but unreserved characters encoded ({@code quote(path)}). */
  static String encodePath(String path) {
    return encode(path, true);
  }

  /** One segment, '/' encoded too ({@code quote(text, safe="")}), for revisions such as {@code refs/pr/1}. */
  static String encodeSegment(String text) {
    return encode(text, false);
  }

  private static String encode(String text, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return sb.toString();
  }
}
