package dev.rerankers.hub;

/**
 * Receives download progress from a {@link HubClient}: once when a file starts, after every chunk
 * received, and once when it is complete and verified ({@link DownloadProgress#done()}). Called on
 * the downloading thread, possibly from several threads at once for different files, so
 * implementations must be thread-safe and quick. An exception thrown by a listener is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {

  /** One progress update. */
  void onProgress(DownloadProgress progress);

  /**
   * The default listener: logs to the {@code dev.rerankers.hub} {@link System.Logger} at INFO, at
   * most once a second per file while it downloads (bytes, percentage, rate, ETA), and one line
   * when each file is done.
   */
  static ProgressListener logging() {
    return new LoggingProgressListener(System.getLogger("dev.rerankers.hub"), System::nanoTime);
  }

  /** A listener that does nothing. */
  static ProgressListener none() {
    return progress -> {};
  }
}
