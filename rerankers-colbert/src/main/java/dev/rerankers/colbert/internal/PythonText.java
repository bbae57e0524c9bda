package dev.rerankers.colbert.internal;

/** Python string behaviour Java's differs from. */
final class PythonText {
  private PythonText() {}

  /** Python's {@code str.isspace()} for one char (Java's {@code isWhitespace} misses U+00A0, U+2007, U+202F, U+0085...). */
  static boolean isSpace(char c) {
    return switch (c) {
      case ' ', '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0',
          '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
      default -> c >= '\u2000' && c <= '\u200a';
    };
  }

  /** Python's {@code str.strip()} with no argument. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }
}
