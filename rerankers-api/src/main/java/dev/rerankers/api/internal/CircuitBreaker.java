package dev.rerankers.api.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one endpoint. Closed: every attempt goes through and consecutive unhealthy
 * attempts (5xx, timeouts, I/O errors, malformed answers) are counted; at {@code threshold} it
 * opens. Open: attempts are refused without touching the network until {@code cooldown} has
 * passed. Then one trial attempt goes through (half-open): success closes the breaker, failure
 * opens it for another cooldown. A threshold of 0 disables it. Rate limits and other 4xx answers
 * prove the endpoint is up and reset the count. Thread-safe.
 */
final class CircuitBreaker {

  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final long cooldownNanos;
  private final LongSupplier clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeInFlight;
  private String lastFailure = "";

  CircuitBreaker(int threshold, Duration cooldown, LongSupplier nanoClock) {
    this.threshold = threshold;
    this.cooldownNanos = cooldown.toNanos();
    this.clock = nanoClock;
  }

  /** Whether an attempt may go out now; a {@code true} must be followed by one outcome call. */
  synchronized boolean tryAcquire() {
    if (threshold <= 0) {
      return true;
    }
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.getAsLong() - openedAt >= cooldownNanos) {
          state = State.HALF_OPEN;
          probeInFlight = true;
          return true;
        }
        return false;
      default: // HALF_OPEN
        if (!probeInFlight) {
          probeInFlight = true;
          return true;
        }
        return false;
    }
  }

  /** The endpoint answered properly. */
  synchronized void onSuccess() {
    consecutiveFailures = 0;
    probeInFlight = false;
    state = State.CLOSED;
  }

  /** The endpoint looked unhealthy; {@code what} describes how, for the message of fast failures. */
  synchronized void onFailure(String what) {
    lastFailure = what == null ? "" : what;
    if (threshold <= 0) {
      return;
    }
    probeInFlight = false;
    if (state == State.HALF_OPEN) {
      open();
      return;
    }
    consecutiveFailures++;
    if (state == State.CLOSED && consecutiveFailures >= threshold) {
      open();
    }
  }

  /** The attempt ended without telling anything about the endpoint (cancelled by the caller). */
  synchronized void onAbandoned() {
    probeInFlight = false;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clock.getAsLong();
    consecutiveFailures = 0;
  }

  synchronized State state() {
    return state;
  }

  /** How long an open breaker stays open from now (zero when not open). */
  synchronized Duration remainingOpen() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, cooldownNanos - (clock.getAsLong() - openedAt)));
  }

  /** The last unhealthy attempt, in words ("" when none). */
  synchronized String lastFailure() {
    return lastFailure;
  }

  int threshold() {
    return threshold;
  }
}
