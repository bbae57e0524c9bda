package dev.rerankers.api.internal;

/** A short one-line snippet of a text (a provider's answer, an error body) for messages. */
final class Snippet {
  private Snippet() {}

  /** Whitespace collapsed, cut to {@code max} characters with an ellipsis. */
  static String of(String s, int max) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() <= max ? t : t.substring(0, max) + "...";
  }
}
