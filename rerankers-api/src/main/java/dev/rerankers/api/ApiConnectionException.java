package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The connection failed before a complete answer arrived: refused, reset, closed mid-body, DNS or TLS failure.
 *
 * <p>Retriable. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class ApiConnectionException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ApiConnectionException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, true, message, cause);
  }
}
