package dev.rerankers.api.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Back-off between attempts: exponential from {@code initial}, doubled per retry, capped at
 * {@code max}, with "equal jitter" (half the delay fixed, half random) so that many clients
 * rate-limited together do not retry in lockstep. A provider's {@code Retry-After} replaces the
 * computed delay. Immutable.
 */
final class RetryPolicy {
  private final Duration initial;
  private final Duration max;

  RetryPolicy(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** The delay before retry number {@code retry} (1 for the first retry). */
  Duration backoff(int retry) {
    long base = initial.toNanos();
    for (int i = 1; i < retry && base < max.toNanos(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toNanos());
    long half = base / 2;
    long jitter = half <= 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
    return Duration.ofNanos(base - half + jitter);
  }

  /**
   * The wait a response asks for: {@code retry-after-ms} (milliseconds, OpenAI-style) first, then
   * {@code Retry-After} as seconds or an HTTP date. {@code null} when neither is present or
   * readable.
   */
  static Duration retryAfter(String retryAfterMs, String retryAfter, Instant now) {
    if (retryAfterMs != null) {
      try {
        double ms = Double.parseDouble(retryAfterMs.strip());
        if (ms >= 0 && !Double.isInfinite(ms)) {
          return Duration.ofNanos(Math.round(ms * 1e6));
        }
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    String v = retryAfter.strip();
    try {
      double s = Double.parseDouble(v);
      return s < 0 || Double.isInfinite(s) ? null : Duration.ofNanos(Math.round(s * 1e9));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
