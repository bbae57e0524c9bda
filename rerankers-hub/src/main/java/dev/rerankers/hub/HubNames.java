package dev.rerankers.hub;

import java.util.regex.Pattern;

/**
 * Validation of the names that become folder or file names in the cache: repository ids,
 * revisions, commit hashes and ETags. Everything the server sends is checked here before it
 * touches the disk.
 */
final class HubNames {
  /** Python's {@code REPO_ID_REGEX}, ASCII only: an optional namespace and a name of at most 96 characters. */
  private static final Pattern REPO_ID =
      Pattern.compile("(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\\-]*[A-Za-z0-9_])?/)?[A-Za-z0-9_](?:[A-Za-z0-9_.\\-]{0,94}[A-Za-z0-9_])?");

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** ETags become blob file names: plain characters only, no leading dot. */
  private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]{0,127}");

  private HubNames() {}

  /** Whether the text is a valid repository id ({@code name} or {@code namespace/name}). */
  static boolean isRepoId(String id) {
    return id != null
        && REPO_ID.matcher(id).matches()
        && !id.contains("--")
        && !id.contains("..")
        && !id.endsWith(".git");
  }

  /** A valid repository id, else an {@link IllegalArgumentException} naming the rule. */
  static String checkRepoId(String id) {
    if (!isRepoId(id)) {
      throw new IllegalArgumentException(
          "'"
              + id
              + "' is not a Hugging Face repo id: use 'name' or 'namespace/name' with letters, digits,"
              + " '-', '_' or '.', at most 96 characters, no '--' or '..'");
    }
    return id;
  }

  /** Whether the revision is a full commit hash (40 lowercase hex digits). */
  static boolean isCommit(String revision) {
    return revision != null && COMMIT.matcher(revision).matches();
  }

  /** Whether the text is a SHA-256 in lowercase hex, as LFS ETags are. */
  static boolean isSha256(String text) {
    return text != null && SHA256.matcher(text).matches();
  }

  /**
   * A valid revision (branch, tag, commit, or {@code refs/pr/1}): it becomes a path under {@code
   * refs/}, so it follows the repository-path rules.
   */
  static String checkRevision(String revision) {
    if (revision == null || revision.isEmpty() || revision.length() > 255) {
      throw new IllegalArgumentException("revision must be a branch, tag or commit, got '" + revision + "'");
    }
    try {
      RepoPaths.check(revision);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("refusing revision '" + revision + "': " + e.getMessage(), e);
    }
    return revision;
  }

  /** Whether an ETag (already stripped of quotes and {@code W/}) is safe as a blob file name. */
  static boolean isSafeEtag(String etag) {
    return etag != null && ETAG.matcher(etag).matches() && !etag.endsWith(".incomplete") && !etag.endsWith(".lock");
  }

  /**
   * The ETag header value in the form {@code huggingface_hub} stores: {@code W/} and quotes removed.
   * Returns {@code null} for {@code null}.
   */
  static String normalizeEtag(String header) {
    if (header == null) {
      return null;
    }
    String e = header.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e;
  }
}
