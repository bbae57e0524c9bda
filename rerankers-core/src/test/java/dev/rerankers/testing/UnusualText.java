package dev.rerankers.testing;

import java.util.List;

/**
 * Documents of unusual characters for robustness tests: characters outside any small vocabulary
 * (a snowman, mathematical letters, emoji sequences with joiners), combining marks, right-to-left
 * text and overrides, control characters, NUL, a lone surrogate, non-characters, and long runs.
 *
 * <p>Shipped in rerankers-core's test-jar for the other modules' tests.
 */
public final class UnusualText {
  private UnusualText() {}

  /** One document with every kind of unusual character. */
  public static final String DOCUMENT =
      "snow ☃ man 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301 👩\u200d👩\u200d👧 \u0000 \uFFFF \uFFFE \uD800 lone \uDC00 \u202Eevil\u202C "
          + "עברית العربية 中文字符 ǅ ﬁ \t\u000B\f\r\n \u00A0\u2028\u2029 \u0007\u001B[31m \uE000 ‮ 🏳️‍🌈 \uFEFF"
          + " x".repeat(300) + " ☃".repeat(50);

  /** Several unusual documents, including empty and whitespace-only ones. */
  public static final List<String> DOCUMENTS =
      List.of(DOCUMENT, "", " ", "☃", "\u0000", "\uD83D", "a".repeat(5000) + "b", "\n".repeat(2000) + "end");
}
