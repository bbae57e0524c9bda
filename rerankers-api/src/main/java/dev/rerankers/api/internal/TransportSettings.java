package dev.rerankers.api.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.api.ApiOptions;
import dev.rerankers.spi.Backoff;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.OptionValues;
import java.time.Duration;

/**
 * The transport and resilience settings of one ranker, read once from its checked options (ranges
 * and defaults live on the {@link ApiOptions} declarations; only the one rule across two options
 * is checked here).
 */
record TransportSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration attemptTimeout,
    Duration timeout,
    int maxRetries,
    Backoff backoff,
    Duration maxRetryAfter,
    int breakerThreshold,
    Duration breakerCooldown,
    int maxConcurrency,
    boolean allowInsecure) {

  static TransportSettings of(OptionValues o) {
    Duration initial = o.get(ApiOptions.INITIAL_BACKOFF);
    Duration max = o.get(ApiOptions.MAX_BACKOFF);
    if (max.compareTo(initial) < 0) {
      throw new ConfigException(
          ApiOptions.MAX_BACKOFF.key() + " (" + Durations.format(max) + ") must not be shorter than "
              + ApiOptions.INITIAL_BACKOFF.key() + " (" + Durations.format(initial) + ")");
    }
    return new TransportSettings(
        o.get(ApiOptions.CONNECT_TIMEOUT),
        o.get(ApiOptions.READ_TIMEOUT),
        o.get(ApiOptions.ATTEMPT_TIMEOUT),
        o.get(ApiOptions.TIMEOUT),
        o.get(ApiOptions.MAX_RETRIES),
        new Backoff(initial, max),
        o.get(ApiOptions.MAX_RETRY_AFTER),
        o.get(ApiOptions.CIRCUIT_BREAKER_THRESHOLD),
        o.get(ApiOptions.CIRCUIT_BREAKER_COOLDOWN),
        o.get(ApiOptions.MAX_CONCURRENCY),
        o.get(CommonOptions.ALLOW_INSECURE));
  }
}
