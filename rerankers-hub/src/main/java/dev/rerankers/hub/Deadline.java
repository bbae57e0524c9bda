package dev.rerankers.hub;

import java.time.Duration;

/**
 * A moment a piece of work must be done by ({@link System#nanoTime()} based), with the words that
 * say which limit set it, for messages. Immutable.
 */
final class Deadline {
  /** No limit. */
  static final Deadline NONE = new Deadline(0, null);

  /** About a century: longer limits are treated as that (nanoTime arithmetic stays exact). */
  private static final long MAX_NANOS = Duration.ofDays(36_500).toNanos();

  private final long at;
  private final String what; // null: no limit

  private Deadline(long at, String what) {
    this.at = at;
    this.what = what;
  }

  /** A deadline {@code limit} from now; {@link #NONE} when {@code limit} is null. */
  static Deadline after(Duration limit, String what) {
    if (limit == null) {
      return NONE;
    }
    long nanos = limit.compareTo(Duration.ofNanos(MAX_NANOS)) > 0 ? MAX_NANOS : limit.toNanos();
    return new Deadline(System.nanoTime() + nanos, what);
  }

  /** The earlier of the two. */
  Deadline min(Deadline other) {
    if (other.what == null) {
      return this;
    }
    if (what == null) {
      return other;
    }
    return other.at - at < 0 ? other : this;
  }

  boolean limited() {
    return what != null;
  }

  /** Nanoseconds left ({@link Long#MAX_VALUE} without a limit; zero or less once passed). */
  long remainingNanos() {
    return what == null ? Long.MAX_VALUE : at - System.nanoTime();
  }

  boolean passed() {
    return remainingNanos() <= 0;
  }

  /** {@code d}, shortened to the time left (at least a millisecond, as request timeouts must be positive). */
  Duration cap(Duration d) {
    long left = remainingNanos();
    if (left >= d.toNanos()) {
      return d;
    }
    return Duration.ofNanos(Math.max(left, 1_000_000));
  }

  /** Throws when the deadline has passed. */
  void check() throws HubErrors.DeadlineExceeded {
    if (passed()) {
      throw exceeded();
    }
  }

  HubErrors.DeadlineExceeded exceeded() {
    return new HubErrors.DeadlineExceeded(what);
  }

  /** Which limit this is, e.g. "the per-file deadline of 2 s (...)"; null without a limit. */
  String what() {
    return what;
  }

  @Override
  public String toString() {
    return what == null ? "no deadline" : what;
  }
}
