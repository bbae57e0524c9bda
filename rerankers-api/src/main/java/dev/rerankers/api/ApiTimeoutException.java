package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * No complete answer arrived in time: a connect, read or per-attempt timeout, the overall deadline of the call, or HTTP 408.
 *
 * <p>Retriable. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class ApiTimeoutException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ApiTimeoutException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, true, message, cause);
  }
}
