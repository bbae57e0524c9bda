package dev.rerankers.api.internal;

/**
 * Thrown by response parsers when an answer is not the documented JSON; the HTTP engine turns it
 * into a {@link dev.rerankers.api.MalformedResponseException}.
 */
final class BadAnswer extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadAnswer(String message) {
    super(message);
  }

  BadAnswer(String message, Throwable cause) {
    super(message, cause);
  }
}
