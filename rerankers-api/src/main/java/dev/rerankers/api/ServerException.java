package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The provider failed on its side (HTTP 5xx).
 *
 * <p>Retriable for 500, 502, 503, 504 and other transient 5xx; not for 501 and 505, reported by {@link #isRetriable()}. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class ServerException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ServerException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, statusCode != 501 && statusCode != 505, message, cause);
  }
}
