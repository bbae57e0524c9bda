package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The response could not be understood.
 *
 * <p>Not retriable: the endpoint answered, but not with the provider's documented JSON (a proxy's HTML page, a truncated or invalid document, an index out of range, a missing, NaN or infinite score, a chat reply without choices). The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class MalformedResponseException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public MalformedResponseException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, false, message, cause);
  }
}
