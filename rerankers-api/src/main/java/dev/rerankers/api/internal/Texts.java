package dev.rerankers.api.internal;

/** Small text helpers for messages. */
final class Texts {
  private Texts() {}

  /** Whitespace collapsed, cut to {@code max} characters with an ellipsis. */
  static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() <= max ? t : t.substring(0, max) + "...";
  }
}
