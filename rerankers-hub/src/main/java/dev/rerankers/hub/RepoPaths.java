package dev.rerankers.hub;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Validation of repository-relative file paths, so no name can escape its folder. Used for the
 * paths callers ask for and for every file name the Hub lists.
 */
final class RepoPaths {
  /** Letters and digits of any script, plus punctuation that is harmless in file names and URLs. */
  private static final Pattern SEGMENT = Pattern.compile("[\\p{L}\\p{N}\\p{M}._+\\-@=,() \\[\\]!'&#%~^{}$;]+");

  private static final int MAX_PATH = 1024;
  private static final int MAX_SEGMENT = 255;

  private RepoPaths() {}

  /**
   * Checks a repository-relative path ("onnx/model.onnx"): no absolute paths, no backslashes or
   * colons, no empty, "." or ".." (or dots-only) segments, only ordinary characters, at most 1024
   * characters.
   *
   * @throws IllegalArgumentException naming the path otherwise
   */
  static String check(String path) {
    if (path == null
        || path.isEmpty()
        || path.length() > MAX_PATH
        || path.startsWith("/")
        || path.contains("\\")
        || path.contains(":")) {
      throw new IllegalArgumentException(
          "refusing file name '" + printable(path) + "': not a relative repository path");
    }
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty()
          || seg.length() > MAX_SEGMENT
          || seg.chars().allMatch(c -> c == '.')
          || !SEGMENT.matcher(seg).matches()) {
        throw new IllegalArgumentException(
            "refusing file name '" + printable(path) + "': bad segment '" + printable(seg) + "'");
      }
    }
    return path;
  }

  /** Whether {@link #check} accepts the path. */
  static boolean isValid(String path) {
    try {
      check(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The path inside the folder, after {@link #check}; never outside it. */
  static Path resolveInside(Path dir, String path) {
    check(path);
    Path p = dir.resolve(path).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalArgumentException("refusing file name '" + printable(path) + "': escapes " + dir);
    }
    return p;
  }

  /** The text with control characters escaped and cut to 200 characters, safe to put in a message or log. */
  static String printable(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (; i < text.length() && sb.length() < 200; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return i < text.length() ? sb + "..." : sb.toString();
  }
}
