package dev.rerankers.api.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.api.ApiOptions;
import java.time.Duration;

/**
 * The transport and resilience settings of one ranker, resolved from its spec with the defaults
 * in one place.
 */
record ApiSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration attemptTimeout,
    Duration timeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    int breakerThreshold,
    Duration breakerCooldown,
    int maxConcurrency) {

  static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
  static final Duration DEFAULT_READ = Duration.ofSeconds(60);
  static final Duration DEFAULT_ATTEMPT = Duration.ofSeconds(60);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  static final int DEFAULT_RETRIES = 3;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
  static final int DEFAULT_BREAKER_THRESHOLD = 5;
  static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);
  static final int DEFAULT_CONCURRENCY = 64;

  ApiSettings {
    positive(ApiOptions.CONNECT_TIMEOUT, connectTimeout);
    positive(ApiOptions.READ_TIMEOUT, readTimeout);
    positive(ApiOptions.ATTEMPT_TIMEOUT, attemptTimeout);
    positive(ApiOptions.TIMEOUT, timeout);
    if (maxRetries < 0) {
      throw new ConfigException(ApiOptions.MAX_RETRIES + " must be >= 0, got " + maxRetries);
    }
    if (breakerThreshold < 0) {
      throw new ConfigException(
          ApiOptions.CIRCUIT_BREAKER_THRESHOLD + " must be >= 0 (0 disables it), got " + breakerThreshold);
    }
    if (maxConcurrency < 1) {
      throw new ConfigException(ApiOptions.MAX_CONCURRENCY + " must be >= 1, got " + maxConcurrency);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigException(
          ApiOptions.MAX_BACKOFF + " (" + Durations.format(maxBackoff) + ") must not be shorter than "
              + ApiOptions.INITIAL_BACKOFF + " (" + Durations.format(initialBackoff) + ")");
    }
  }

  static ApiSettings defaults() {
    return new ApiSettings(
        DEFAULT_CONNECT, DEFAULT_READ, DEFAULT_ATTEMPT, DEFAULT_TIMEOUT, DEFAULT_RETRIES,
        DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER,
        DEFAULT_BREAKER_THRESHOLD, DEFAULT_BREAKER_COOLDOWN, DEFAULT_CONCURRENCY);
  }

  static ApiSettings from(RerankerSpec spec) {
    return new ApiSettings(
        duration(spec, ApiOptions.CONNECT_TIMEOUT, DEFAULT_CONNECT),
        duration(spec, ApiOptions.READ_TIMEOUT, DEFAULT_READ),
        duration(spec, ApiOptions.ATTEMPT_TIMEOUT, DEFAULT_ATTEMPT),
        duration(spec, ApiOptions.TIMEOUT, DEFAULT_TIMEOUT),
        spec.intOption(ApiOptions.MAX_RETRIES, DEFAULT_RETRIES),
        duration(spec, ApiOptions.INITIAL_BACKOFF, DEFAULT_INITIAL_BACKOFF),
        duration(spec, ApiOptions.MAX_BACKOFF, DEFAULT_MAX_BACKOFF),
        duration(spec, ApiOptions.MAX_RETRY_AFTER, DEFAULT_MAX_RETRY_AFTER),
        spec.intOption(ApiOptions.CIRCUIT_BREAKER_THRESHOLD, DEFAULT_BREAKER_THRESHOLD),
        duration(spec, ApiOptions.CIRCUIT_BREAKER_COOLDOWN, DEFAULT_BREAKER_COOLDOWN),
        spec.intOption(ApiOptions.MAX_CONCURRENCY, DEFAULT_CONCURRENCY));
  }

  private static Duration duration(RerankerSpec spec, String key, Duration def) {
    return spec.option(key).map(v -> Durations.parse(key, v)).orElse(def);
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new ConfigException("option " + key + " must be a positive duration, got " + d);
    }
  }
}
