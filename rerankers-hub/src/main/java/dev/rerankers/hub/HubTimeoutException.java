package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A transfer from the Hub ran out of time: it passed its per-file or per-load deadline, stalled
 * (fewer bytes per second than the floor for a whole stall window), or sent nothing for the read
 * timeout, after the retries this allows. Says what was kept for the next load to resume.
 */
public final class HubTimeoutException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long bytesKept;
  private final transient Path partialFile;

  HubTimeoutException(String file, long bytesKept, Path partialFile, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.bytesKept = bytesKept;
    this.partialFile = bytesKept > 0 ? partialFile : null;
  }

  /** The file being downloaded, or empty when the repository's listing timed out. */
  public Optional<String> file() {
    return Optional.ofNullable(file);
  }

  /** How many bytes of the file are kept in the cache for the next load to resume (0: none). */
  public long bytesKept() {
    return bytesKept;
  }

  /** The partial file ({@code blobs/<etag>.incomplete}) the next load resumes, when bytes were kept. */
  public Optional<Path> partialFile() {
    return Optional.ofNullable(partialFile);
  }
}
