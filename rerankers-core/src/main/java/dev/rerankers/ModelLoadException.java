package dev.rerankers;

/** A model could not be loaded: files missing, unreadable, or not a supported architecture. */
public class ModelLoadException extends RerankerException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelLoadException(Throwable cause) {
    super(cause);
  }
}
