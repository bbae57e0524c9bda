package dev.rerankers.api.internal;

/**
 * An approximate token count, for client-side truncation and request splitting when the
 * provider's tokenizer is not at hand. It leans towards over-counting so that a budget it checks
 * is rarely exceeded by the real tokenizer:
 *
 * <ul>
 *   <li>a run of letters or digits of a space-separated script costs one token per started 4
 *       characters (English BPE vocabularies average about 4 characters per token);
 *   <li>each character of a script written without spaces (CJK, kana, hangul, Thai) costs one
 *       token;
 *   <li>each other visible character (punctuation, symbols, emoji) costs one token;
 *   <li>whitespace is free.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class TokenEstimator {
  private TokenEstimator() {}

  /** The estimated token count of a text. */
  static int count(String text) {
    return (int) Math.min(Integer.MAX_VALUE, scan(text, Long.MAX_VALUE));
  }

  /**
   * The longest prefix of the text whose estimate is at most {@code budget}, cut at a word
   * boundary where one lies within the last word; the text itself when it fits.
   */
  static String truncate(String text, int budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be >= 1, got " + budget);
    }
    long end = scan(text, budget);
    if (end < 0) {
      return text; // fits
    }
    int cut = (int) end;
    // Prefer ending before the word that crossed the budget.
    int space = cut;
    while (space > 0 && !Character.isWhitespace(text.charAt(space - 1))) {
      space--;
    }
    if (space > 0) {
      cut = space;
    }
    return text.substring(0, cut).stripTrailing();
  }

  /**
   * With {@code budget == Long.MAX_VALUE}: the count. Otherwise: the char index where the count
   * would exceed the budget, or -1 when the whole text fits.
   */
  private static long scan(String text, long budget) {
    long tokens = 0;
    int runLength = 0; // letters/digits in the current word-piece run
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      long add;
      if (Character.isWhitespace(cp)) {
        runLength = 0;
        add = 0;
      } else if (isUnspacedScript(cp)) {
        runLength = 0;
        add = 1;
      } else if (Character.isLetterOrDigit(cp)) {
        add = runLength % 4 == 0 ? 1 : 0; // a new token every 4 characters of a run
        runLength++;
      } else {
        runLength = 0;
        add = 1;
      }
      if (budget != Long.MAX_VALUE && tokens + add > budget) {
        return i;
      }
      tokens += add;
      i += width;
    }
    return budget == Long.MAX_VALUE ? tokens : -1;
  }

  private static boolean isUnspacedScript(int cp) {
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA
        || s == Character.UnicodeScript.HANGUL
        || s == Character.UnicodeScript.THAI
        || s == Character.UnicodeScript.LAO
        || s == Character.UnicodeScript.KHMER
        || s == Character.UnicodeScript.MYANMAR
        || s == Character.UnicodeScript.TIBETAN;
  }
}
