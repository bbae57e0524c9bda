package dev.rerankers;

/**
 * A hosted API call failed. Carries the provider name, the HTTP status (0 when no response came
 * back) and whether retrying could help. The message holds the provider's own error text, never an
 * API key. The {@code rerankers-api} module throws typed subclasses of this one.
 */
public class ApiException extends RerankerException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int statusCode;
  private final boolean retriable;

  public ApiException(String provider, int statusCode, boolean retriable, String message) {
    super(message);
    this.provider = provider;
    this.statusCode = statusCode;
    this.retriable = retriable;
  }

  public ApiException(
      String provider, int statusCode, boolean retriable, String message, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.statusCode = statusCode;
    this.retriable = retriable;
  }

  /** The provider, e.g. {@code "cohere"}. */
  public String provider() {
    return provider;
  }

  /** The HTTP status code, or 0 when the failure happened before a response arrived. */
  public int statusCode() {
    return statusCode;
  }

  /** Whether the same request may succeed later (rate limits, 5xx, timeouts, I/O errors). */
  public boolean isRetriable() {
    return retriable;
  }
}
