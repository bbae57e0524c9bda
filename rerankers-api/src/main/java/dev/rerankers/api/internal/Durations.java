package dev.rerankers.api.internal;

import dev.rerankers.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as options write them ({@code 250ms}, {@code 10s}, {@code 2m}, {@code PT10S} or plain
 * seconds) and as messages show them ({@code 250 ms}, {@code 1.5 s}). Public only for {@link
 * dev.rerankers.api.ApiOptions}' parsers: not API.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses a duration option's value.
   *
   * @param key the option, for messages
   * @throws ConfigException naming the option when the value is not a duration, or is negative
   */
  public static Duration parse(String key, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return check(key, value, Duration.parse(value.strip().toUpperCase(Locale.ROOT)));
      }
      if (v.endsWith("ms")) {
        return check(key, value, Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 2).strip()) * 1e6)));
      }
      if (v.endsWith("s")) {
        return check(key, value, seconds(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return check(key, value, seconds(v.substring(0, v.length() - 1)).multipliedBy(60));
      }
      return check(key, value, seconds(v));
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new ConfigException(
          "option " + key + " must be a duration such as 250ms, 10s, 2m or PT10S, got '" + value + "'");
    }
  }

  private static Duration seconds(String s) {
    return Duration.ofNanos(Math.round(Double.parseDouble(s.strip()) * 1e9));
  }

  private static Duration check(String key, String raw, Duration d) {
    if (d.isNegative()) {
      throw new ConfigException("option " + key + " must not be negative, got '" + raw + "'");
    }
    return d;
  }

  /** A short human form for messages: {@code 250 ms}, {@code 1.5 s}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
