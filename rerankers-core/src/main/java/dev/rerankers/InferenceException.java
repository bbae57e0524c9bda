package dev.rerankers;

/** Scoring failed inside a backend (native runtime error, out of memory, ...). The cause is attached. */
public class InferenceException extends RerankerException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message) {
    super(message);
  }

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }

  public InferenceException(Throwable cause) {
    super(cause);
  }
}
