package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The provider refused the API key (HTTP 401 or 403): it is missing, wrong, revoked or lacks access to the model.
 *
 * <p>Not retriable. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class AuthenticationException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public AuthenticationException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, false, message, cause);
  }
}
