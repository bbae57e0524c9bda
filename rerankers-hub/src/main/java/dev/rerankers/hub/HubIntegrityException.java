package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;

/**
 * A downloaded file did not match what the Hub promised for it (its SHA-256 for LFS files, its
 * git blob id for the others, or its size), twice in a row. Nothing was cached: neither the blob
 * nor the snapshot entry exists, and the partial download was deleted.
 */
public final class HubIntegrityException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String algorithm;
  private final String expected;
  private final String actual;

  HubIntegrityException(String file, String algorithm, String expected, String actual, String message) {
    super(message);
    this.file = file;
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }

  /** The file's path in the repository. */
  public String file() {
    return file;
  }

  /** {@code "sha256"} (LFS files) or {@code "git-sha1"} (the git blob id of the others). */
  public String algorithm() {
    return algorithm;
  }

  /** The checksum the Hub promised, in lowercase hex. */
  public String expected() {
    return expected;
  }

  /** What arrived: its checksum in lowercase hex, or, when the size was already wrong, the size. */
  public String actual() {
    return actual;
  }
}
