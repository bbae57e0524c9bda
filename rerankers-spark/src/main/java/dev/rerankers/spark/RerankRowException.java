package dev.rerankers.spark;

import dev.rerankers.RerankerException;

/**
 * A row could not be scored and the error policy is {@link OnError#FAIL}: the task, and so the job,
 * fails with this message, which names the row by its query and document ids (never its text).
 */
public class RerankRowException extends RerankerException {
  private static final long serialVersionUID = 1L;

  /** @param message names the row and the reason */
  public RerankRowException(String message) {
    super(message);
  }

  /** @param message names the row and the reason; {@code cause} is the ranker's exception */
  public RerankRowException(String message, Throwable cause) {
    super(message, cause);
  }
}
