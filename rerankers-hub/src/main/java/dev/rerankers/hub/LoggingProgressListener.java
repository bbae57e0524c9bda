package dev.rerankers.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** {@link ProgressListener#logging()}: INFO lines, at most one per second per file, plus a final line. */
final class LoggingProgressListener implements ProgressListener {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final System.Logger logger;
  private final LongSupplier nanoClock;
  /** Per file being downloaded: when a line may next be logged. */
  private final ConcurrentMap<String, Long> nextLog = new ConcurrentHashMap<>();

  LoggingProgressListener(System.Logger logger, LongSupplier nanoClock) {
    this.logger = logger;
    this.nanoClock = nanoClock;
  }

  @Override
  public void onProgress(DownloadProgress p) {
    String key = p.repoId() + "/" + p.file();
    long now = nanoClock.getAsLong();
    if (p.done()) {
      nextLog.remove(key);
      if (logger.isLoggable(Level.INFO)) {
        logger.log(
            Level.INFO,
            String.format(
                Locale.ROOT,
                "%s: downloaded %s (%s) in %s",
                p.repoId(),
                p.file(),
                size(p.bytes()),
                duration(p.elapsed())));
      }
      return;
    }
    // the first line comes one second after the start: quick files log only their final line
    long due = nextLog.computeIfAbsent(key, k -> now + INTERVAL_NANOS);
    if (now - due < 0 || !nextLog.replace(key, due, now + INTERVAL_NANOS)) {
      return;
    }
    if (logger.isLoggable(Level.INFO)) {
      logger.log(Level.INFO, line(p));
    }
  }

  static String line(DownloadProgress p) {
    StringBuilder sb = new StringBuilder();
    sb.append(p.repoId()).append(": downloading ").append(p.file()).append(' ').append(size(p.bytes()));
    if (p.totalBytes() >= 0) {
      sb.append(" of ").append(size(p.totalBytes()));
      sb.append(String.format(Locale.ROOT, " (%.1f%%)", 100 * p.fraction()));
    }
    sb.append(", ").append(size((long) p.bytesPerSecond())).append("/s");
    p.eta().ifPresent(eta -> sb.append(", ETA ").append(duration(eta)));
    return sb.toString();
  }

  /** Bytes in decimal units, as the Hub shows sizes: {@code 1.23 GB}. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
