package dev.rerankers.transformers.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What identifies a file's bytes without reading them, as git's index does: size, modification
 * and status-change times and the inode. A file rewritten in place changes its change time, which
 * no user call can set back, so an unchanged stamp means unchanged bytes — except for a write in
 * the same clock tick as the stamp was taken, which is why only {@linkplain #settled settled}
 * stamps are remembered (git's "racy" rule).
 *
 * <p>Used to skip re-hashing a checkpoint or a stored graph (a gigabyte takes seconds) on every
 * load; the hash is still computed whenever a stamp differs or cannot be taken.
 */
record FileStamp(long size, long modifiedNanos, long changedNanos, String fileKey) {
  /** How far in the past both times must be before a stamp is trusted later: file systems tick coarsely. */
  static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * The stamp of {@code file} (following links), or empty when the platform does not expose a
   * change time and inode (then nothing is remembered and hashes are always computed).
   */
  static Optional<FileStamp> of(Path file) {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,dev,ino");
      if (!(a.get("ctime") instanceof FileTime ctime) || !(a.get("lastModifiedTime") instanceof FileTime mtime)
          || a.get("ino") == null || a.get("dev") == null || !(a.get("size") instanceof Long size)) {
        return Optional.empty();
      }
      return Optional.of(new FileStamp(size, nanos(mtime), nanos(ctime), a.get("dev") + ":" + a.get("ino")));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether both times lie at least {@link #SETTLE_NANOS} before {@code nowNanos} (epoch nanoseconds). */
  boolean settled(long nowNanos) {
    return modifiedNanos <= nowNanos - SETTLE_NANOS && changedNanos <= nowNanos - SETTLE_NANOS;
  }

  /** Epoch nanoseconds now. */
  static long now() {
    java.time.Instant i = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
  }

  /** One line: {@code size modified changed fileKey}. */
  String line() {
    return size + " " + modifiedNanos + " " + changedNanos + " " + fileKey;
  }

  /** The stamp written by {@link #line()}, or empty when {@code s} is not one. */
  static Optional<FileStamp> parse(String s) {
    String[] f = s.strip().split(" ");
    if (f.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(new FileStamp(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long nanos(FileTime t) {
    java.time.Instant i = t.toInstant();
    return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
  }
}
