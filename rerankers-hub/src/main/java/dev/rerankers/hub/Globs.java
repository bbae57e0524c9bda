package dev.rerankers.hub;

import java.util.regex.Pattern;

/** Globs over '/'-separated repository paths, the same on every OS. */
final class Globs {
  private Globs() {}

  /** {@code *} and {@code ?} within a folder, {@code **} across folders ({@code **}{@code /} also matches none), {@code {a,b}}. */
  static Pattern toRegex(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("glob must not be empty");
    }
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*':
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
              i++;
              re.append("(?:.*/)?");
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
          break;
        case '?':
          re.append("[^/]");
          break;
        case '{':
          braces++;
          re.append("(?:");
          break;
        case '}':
          if (braces == 0) {
            throw new IllegalArgumentException("unbalanced '}' in glob '" + glob + "'");
          }
          braces--;
          re.append(')');
          break;
        case ',':
          re.append(braces > 0 ? "|" : ",");
          break;
        default:
          re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("unbalanced '{' in glob '" + glob + "'");
    }
    return Pattern.compile(re.toString());
  }
}
