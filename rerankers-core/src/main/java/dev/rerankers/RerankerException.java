package dev.rerankers;

/**
 * Root of every exception this library throws on purpose. Unchecked: catch it once at the boundary
 * of your application if you want a single catch point.
 *
 * <p>Bad arguments to {@code rank(...)} are reported with {@link IllegalArgumentException} instead,
 * since they are programming errors rather than failures of a model or service.
 */
public class RerankerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RerankerException(String message) {
    super(message);
  }

  public RerankerException(String message, Throwable cause) {
    super(message, cause);
  }

  public RerankerException(Throwable cause) {
    super(cause);
  }
}
