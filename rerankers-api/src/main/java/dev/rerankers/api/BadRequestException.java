package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The provider rejected the request (HTTP 400, 404, 413, 422 and other 4xx): an unknown model, a document or request over its limits, an empty text.
 *
 * <p>Not retriable: the same request fails again. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class BadRequestException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public BadRequestException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, false, message, cause);
  }
}
