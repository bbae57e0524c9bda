package dev.rerankers.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a listwise model's ranking ({@code "[3] > [1] > [2]"}) into a permutation, tolerating what
 * models really write:
 *
 * <ul>
 *   <li>reasoning before {@code </think>} is dropped, as rank_llm does;
 *   <li>look-alike digits and brackets (superscripts, circled, full-width) are normalised;
 *   <li>when bracketed identifiers are present only they count, so prose around them ("Here is the
 *       ranking of the 3 passages: ...") adds no stray numbers; otherwise every number counts (the
 *       RankGPT rule);
 *   <li>duplicates keep their first position, out-of-range identifiers are dropped, and the
 *       passages never mentioned follow in their current order.
 * </ul>
 *
 * <p>A reply without any usable identifier leaves the window as it was.
 */
final class PermutationParser {
  private static final Pattern BRACKETED = Pattern.compile("\\[\\s*(\\d+)\\s*\\]");
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final String FAKE = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉①②③④⑤⑥⑦⑧⑨❶❷❸❹❺❻❼❽❾０１２３４５６７８９［］【】";
  private static final String REAL = "0123456789" + "0123456789" + "123456789" + "123456789" + "0123456789" + "[][]";

  private PermutationParser() {}

  /** The permutation of {@code 0..n-1} (best first) a reply describes. */
  static int[] parse(String reply, int n) {
    List<Integer> ids = identifiers(reply);
    int[] out = new int[n];
    boolean[] used = new boolean[n];
    int k = 0;
    for (int id : ids) {
      int i = id - 1;
      if (i >= 0 && i < n && !used[i]) {
        used[i] = true;
        out[k++] = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (!used[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** The 1-based identifiers in the reply, in order, before filtering. */
  static List<Integer> identifiers(String reply) {
    List<Integer> out = new ArrayList<>();
    if (reply == null) {
      return out;
    }
    String text = reply;
    int think = text.lastIndexOf("</think>");
    if (think >= 0) {
      text = text.substring(think + "</think>".length());
    }
    text = normalise(text);
    Matcher m = BRACKETED.matcher(text);
    while (m.find()) {
      add(out, m.group(1));
    }
    if (out.isEmpty()) {
      Matcher d = NUMBER.matcher(text);
      while (d.find()) {
        add(out, d.group());
      }
    }
    return out;
  }

  private static void add(List<Integer> out, String digits) {
    if (digits.length() <= 6) {
      out.add(Integer.parseInt(digits));
    }
  }

  private static String normalise(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      int j = cp < 0x10000 ? FAKE.indexOf(cp) : -1;
      if (j >= 0) {
        sb.append(REAL.charAt(j));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }
}
