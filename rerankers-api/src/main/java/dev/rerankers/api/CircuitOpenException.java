package dev.rerankers.api;

import dev.rerankers.ApiException;

/**
 * The endpoint is considered down; no request was sent.
 *
 * <p>Retriable later: the circuit breaker for this endpoint is open after repeated failures, so the call failed fast without touching the network. {@link dev.rerankers.Reranker#withFallback} answers with the fallback ranker meanwhile. The message carries the provider's own error text (with any API key masked) and what to
 * do about it; it never contains the key.
 */
public class CircuitOpenException extends ApiException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the HTTP status, or 0 when no response came back
   * @param message what failed and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public CircuitOpenException(String provider, int statusCode, String message, Throwable cause) {
    super(provider, statusCode, true, message, cause);
  }
}
