package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The account is out of credit or over its quota (HTTP 402, or a 429 whose error code says the quota is used up).
 *
 * <p>Not retriable. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class QuotaExceededException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public QuotaExceededException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, false, message, cause);
  }
}
