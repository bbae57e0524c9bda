package dev.rerankers.hub;

import dev.rerankers.spi.Backoff;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * How the Hub client retries: only failures that may succeed on another try ({@link
 * HubErrors#isTransient}), at most {@code maxRetries} times, waiting core's {@link Backoff}
 * (doubled from {@code retryBackoff} per retry, capped at 30 s, jittered) or the server's {@code
 * Retry-After} (capped at 60 s), and never past the deadline: a wait that could outlast it fails
 * at once. Immutable and thread-safe.
 */
final class Retries {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final int maxRetries;
  private final Backoff backoff;

  /** {@code initial}: the first retry's delay before jitter (longer ones are cut to 30 s). */
  Retries(int maxRetries, Duration initial) {
    this.maxRetries = maxRetries;
    this.backoff = new Backoff(initial.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : initial, MAX_BACKOFF);
  }

  int maxRetries() {
    return maxRetries;
  }

  /** Whether a failure may be retried after {@code failures} earlier ones. */
  boolean mayRetry(IOException e, int failures) {
    return HubErrors.isTransient(e) && failures < maxRetries;
  }

  /**
   * Waits before retry number {@code retry} (1 for the first) after {@code cause}: the server's
   * {@code Retry-After} when it sent one, else the back-off.
   *
   * @throws HubErrors.DeadlineExceeded at once, without waiting, when the wait could outlast the
   *     deadline
   */
  void pause(int retry, IOException cause, Deadline deadline) throws InterruptedException, HubErrors.DeadlineExceeded {
    Duration asked = serverDelay(cause);
    if (asked != null) {
      sleep(asked, asked, deadline);
    } else {
      sleep(backoff.delay(retry), backoff.longest(retry), deadline);
    }
  }

  /** The wait the server asked for, capped at 60 s; null when it asked for none. */
  static Duration serverDelay(IOException cause) {
    if (!(cause instanceof HttpStatusException)) {
      return null;
    }
    return ((HttpStatusException) cause).retryAfter().map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d).orElse(null);
  }

  /** The back-off's longest wait before retry number {@code retry}. */
  Duration longestBackoff(int retry) {
    return backoff.longest(retry);
  }

  private static void sleep(Duration wait, Duration longest, Deadline deadline)
      throws InterruptedException, HubErrors.DeadlineExceeded {
    if (longest.toNanos() >= deadline.remainingNanos()) {
      throw deadline.exceeded();
    }
    if (!wait.isZero()) {
      Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
    }
  }

  /** One exchange of a small answer (a listing, a HEAD request). */
  @FunctionalInterface
  interface Exchange<T> {
    T run() throws IOException, InterruptedException;
  }

  /** Runs the exchange, retrying transient failures within the deadline; logs each retry at DEBUG. */
  <T> T run(Exchange<T> exchange, Deadline deadline, String repoId, HubHttp http) throws IOException, InterruptedException {
    int failures = 0;
    while (true) {
      try {
        return exchange.run();
      } catch (IOException e) {
        if (!mayRetry(e, failures)) {
          throw e;
        }
        failures++;
        LOG.log(
            Level.DEBUG,
            "{0}: {1}; retrying, attempt {2} of {3}",
            repoId,
            http.clean(e.getMessage(), 300),
            String.valueOf(failures + 1),
            String.valueOf(maxRetries + 1));
        pause(failures, e, deadline);
      }
    }
  }
}
