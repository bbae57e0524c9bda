package dev.rerankers.tokenizers.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Flags regular expressions (Oniguruma syntax, as in {@code tokenizer.json}'s {@code Split} and
 * {@code Replace}) whose backtracking can explode. Oniguruma stops a match after ten million
 * retries and the Rust binding then panics, which aborts the JVM; the shapes that get there on
 * ordinary-sized texts are nested quantifiers ({@code (a+)+}), a repeated alternation ({@code
 * (a|ab)*}), back-references, and runs of unbounded quantifiers ({@code a*a*a*b}). The patterns
 * real tokenizers use (GPT-2, Llama 3, Qwen2, DeepSeek, ...) have none of these. A structural
 * check, deliberately conservative. Not API.
 */
final class RegexRisk {
  private RegexRisk() {}

  private static final class Group {
    boolean unboundedInside;
    boolean alternation;
    int unboundedInBranch;
  }

  /** Why the pattern is refused, or null when it is accepted. */
  static String problem(String regex) {
    Deque<Group> stack = new ArrayDeque<>();
    stack.push(new Group());
    // what the previous atom was: 0 = nothing, 1 = a simple atom, 2 = a group (the one just closed)
    int lastAtom = 0;
    Group lastGroup = null;
    int i = 0;
    int len = regex.length();
    while (i < len) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 < len) {
            char e = regex.charAt(i + 1);
            if ((e >= '1' && e <= '9') || e == 'k' || e == 'g') {
              return "uses a back-reference or subroutine call (\\" + e + ")";
            }
            i += 2;
            if ((e == 'p' || e == 'P' || e == 'x' || e == 'u') && i < len && regex.charAt(i) == '{') {
              int close = regex.indexOf('}', i);
              i = close < 0 ? len : close + 1;
            }
          } else {
            i++;
          }
          lastAtom = 1;
        }
        case '[' -> {
          i = skipClass(regex, i);
          lastAtom = 1;
        }
        case '(' -> {
          stack.push(new Group());
          i++;
          if (i < len && regex.charAt(i) == '?') {
            // (?:  (?i:  (?=  (?!  (?<=  (?<!  (?<name>  (?>: the header holds no atoms
            while (i < len && regex.charAt(i) != ':' && regex.charAt(i) != ')' && regex.charAt(i) != '='
                && regex.charAt(i) != '!' && regex.charAt(i) != '>') {
              i++;
            }
            if (i < len && regex.charAt(i) != ')') {
              i++;
            }
          }
          lastAtom = 0;
        }
        case ')' -> {
          Group g = stack.size() > 1 ? stack.pop() : new Group();
          Group parent = stack.peek();
          parent.unboundedInside |= g.unboundedInside;
          lastGroup = g;
          lastAtom = 2;
          i++;
        }
        case '|' -> {
          Group g = stack.peek();
          g.alternation = true;
          g.unboundedInBranch = 0;
          lastAtom = 0;
          i++;
        }
        case '*', '+', '{', '?' -> {
          int end = i + 1;
          boolean unbounded;
          if (c == '{') {
            int close = regex.indexOf('}', i);
            if (close < 0) {
              i++;
              lastAtom = 1;
              continue;
            }
            String body = regex.substring(i + 1, close);
            end = close + 1;
            int comma = body.indexOf(',');
            String max = comma < 0 ? body : body.substring(comma + 1);
            unbounded = comma >= 0 && max.isBlank() || parseOr(max, 0) > 1;
          } else {
            unbounded = c != '?';
          }
          // a lazy or possessive marker after the quantifier
          if (end < len && (regex.charAt(end) == '?' || regex.charAt(end) == '+') && c != '?') {
            end++;
          }
          if (unbounded && lastAtom != 0) {
            Group g = stack.peek();
            if (lastAtom == 2 && lastGroup != null) {
              if (lastGroup.unboundedInside) {
                return "repeats a group that holds a repeat (a nested quantifier such as (a+)+)";
              }
              if (lastGroup.alternation) {
                return "repeats an alternation (such as (a|ab)*)";
              }
            }
            g.unboundedInside = true;
            g.unboundedInBranch++;
            if (g.unboundedInBranch > 2) {
              return "has more than two unbounded quantifiers in one branch (such as a*a*a*b)";
            }
          }
          lastAtom = 0;
          i = end;
        }
        default -> {
          lastAtom = 1;
          i++;
        }
      }
    }
    return null;
  }

  private static int skipClass(String regex, int start) {
    int depth = 0;
    int i = start;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
        // a ']' right after '[' or '[^' is a literal
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          i++;
        }
      } else if (c == ']') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return regex.length();
  }

  private static int parseOr(String s, int fallback) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
