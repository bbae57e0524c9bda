package dev.rerankers.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait between attempts of anything retried over the network (hosted APIs, Hub downloads):
 * exponential from {@code initial}, doubled per retry, capped at {@code max}, with "equal jitter"
 * (half the delay fixed, half random) so that many clients failing together do not retry in
 * lockstep. A server's {@code Retry-After} replaces the computed delay ({@link #retryAfter}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param initial the delay before the first retry (before jitter), not negative
 * @param max the longest delay, at least {@code initial}
 */
public record Backoff(Duration initial, Duration max) {
  /** Checks the bounds. */
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got " + initial + " and " + max);
    }
  }

  /** The delay before retry number {@code retry} (1 for the first retry), jittered. */
  public Duration delay(int retry) {
    long base = cap(retry);
    long half = base / 2;
    long jitter = half <= 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
    return Duration.ofNanos(base - half + jitter);
  }

  /** The largest delay {@link #delay} can give for this retry (for deadline checks). */
  public Duration longest(int retry) {
    return Duration.ofNanos(cap(retry));
  }

  private long cap(int retry) {
    long base = initial.toNanos();
    long limit = max.toNanos();
    for (int i = 1; i < retry && base < limit; i++) {
      base = base > limit / 2 ? limit : base * 2;
    }
    return Math.min(base, limit);
  }

  /**
   * The wait a response asks for: {@code retry-after-ms} (milliseconds, OpenAI-style) first, then
   * {@code Retry-After} as seconds or an HTTP date. {@code null} when neither is present or
   * readable.
   */
  public static Duration retryAfter(String retryAfterMs, String retryAfter, Instant now) {
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
      return s < 0 || Double.isInfinite(s) || Double.isNaN(s) ? null : Duration.ofNanos(Math.round(Math.min(s, 1e9) * 1e9));
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
