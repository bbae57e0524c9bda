package dev.rerankers.api;

import dev.rerankers.ApiException;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider rate-limited the call (HTTP 429) and the retries allowed by the ranker's options
 * did not get through, or the provider asked to wait longer ({@code Retry-After}) than {@code
 * maxRetryAfter} or the call's deadline allows.
 *
 * <p>Retriable. The message carries the provider's own error text (with any API key masked); it
 * never contains the key.
 */
public class RateLimitedException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status (429)
   * @param message what failed and how to fix it
   * @param retryAfter the wait the provider asked for, or {@code null} when it named none
   * @param cause the underlying failure, or {@code null}
   */
  public RateLimitedException(
      String provider, int statusCode, String message, Duration retryAfter, Throwable cause) {
    super(provider, statusCode, true, message, cause);
    this.retryAfter = retryAfter;
  }

  /** The wait the provider asked for in its last answer ({@code Retry-After}), if it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
