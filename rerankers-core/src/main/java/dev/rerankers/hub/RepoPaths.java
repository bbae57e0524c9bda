package dev.rerankers.hub;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Validation of repository-relative file paths, so no name can escape its folder. */
final class RepoPaths {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+\\-@=,() \\[\\]]+");

  private RepoPaths() {}

  /**
   * Checks a repository-relative path ("onnx/model.onnx"): no absolute paths, no backslashes, no
   * empty, "." or ".." segments, only ordinary characters.
   *
   * @throws IllegalArgumentException naming the path otherwise
   */
  static String check(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
      throw new IllegalArgumentException("refusing file name '" + path + "': not a relative repository path");
    }
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || !SEGMENT.matcher(seg).matches()) {
        throw new IllegalArgumentException("refusing file name '" + path + "': bad segment '" + seg + "'");
      }
    }
    return path;
  }

  /** The path inside the folder, after {@link #check}; never outside it. */
  static Path resolveInside(Path dir, String path) {
    check(path);
    Path p = dir.resolve(path).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalArgumentException("refusing file name '" + path + "': escapes " + dir);
    }
    return p;
  }
}
