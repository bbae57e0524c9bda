package dev.rerankers.hub;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one file's download, handed to a {@link ProgressListener}.
 *
 * @param repoId the repository id, e.g. {@code BAAI/bge-reranker-base}
 * @param file the file's path in the repository
 * @param bytes bytes on disk so far, including those resumed from an earlier attempt
 * @param totalBytes the file size, or -1 when unknown
 * @param resumedBytes bytes that were already on disk when this download started (not counted in the rate)
 * @param elapsed time since this download started
 * @param done whether the file is complete and verified
 */
public record DownloadProgress(
    String repoId, String file, long bytes, long totalBytes, long resumedBytes, Duration elapsed, boolean done) {

  /** Validates the fields. */
  public DownloadProgress {
    Objects.requireNonNull(repoId, "repoId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(elapsed, "elapsed");
    if (bytes < 0 || resumedBytes < 0 || totalBytes < -1) {
      throw new IllegalArgumentException(
          "byte counts must not be negative: bytes=" + bytes + ", total=" + totalBytes + ", resumed=" + resumedBytes);
    }
  }

  /** The transfer rate of this download in bytes per second (resumed bytes excluded); 0 at the start. */
  public double bytesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    long transferred = Math.max(0, bytes - resumedBytes);
    return seconds > 0 ? transferred / seconds : 0;
  }

  /** The fraction done in [0, 1], or -1 when the size is unknown. */
  public double fraction() {
    if (totalBytes < 0) {
      return -1;
    }
    return totalBytes == 0 ? 1 : Math.min(1.0, (double) bytes / totalBytes);
  }

  /** The estimated time left at the current rate; empty when the size or the rate is unknown. */
  public Optional<Duration> eta() {
    if (done) {
      return Optional.of(Duration.ZERO);
    }
    double rate = bytesPerSecond();
    if (totalBytes < 0 || rate <= 0) {
      return Optional.empty();
    }
    double seconds = Math.max(0, totalBytes - bytes) / rate;
    return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
  }
}
