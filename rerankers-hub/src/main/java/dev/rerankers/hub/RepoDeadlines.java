package dev.rerankers.hub;

import java.time.Duration;
import java.util.Locale;

/**
 * The time limits of one {@link HubRepo}: the per-load deadline, started by its first request and
 * shared by all of them, and each file's own deadline (set, or scaled by its size) within it; with
 * the words that name each limit and how to raise it, for messages. Thread-safe.
 */
final class RepoDeadlines {
  private final HubClient client;
  private Deadline load; // guarded by this; started by the first request

  RepoDeadlines(HubClient client) {
    this.client = client;
  }

  /** The per-load deadline, started by the first call. */
  synchronized Deadline load() {
    if (load == null) {
      Duration d = client.loadDeadline();
      load = Deadline.after(d, d == null ? null : "the per-load deadline of " + seconds(d) + " (loadDeadline, HF_HUB_LOAD_DEADLINE)");
    }
    return load;
  }

  /** The deadline of one file's download: its own limit (set, or scaled by its size), within the load's. */
  Deadline file(long size) {
    Duration d = client.fileDeadline(size);
    String origin =
        client.fileDeadlineSet()
            ? ""
            : size >= 0 ? "the default for " + size + " bytes; " : "the default for a file of unknown size; ";
    String what = "the per-file deadline of " + seconds(d) + " (" + origin + "fileDeadline, HF_HUB_DOWNLOAD_DEADLINE)";
    return Deadline.after(d, what).min(load());
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
