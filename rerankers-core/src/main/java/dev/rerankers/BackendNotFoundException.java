package dev.rerankers;

/**
 * No backend module on the classpath serves the requested model type. The message names the exact
 * Maven coordinates to add, the Java counterpart of {@code pip install "rerankers[transformers]"}.
 */
public class BackendNotFoundException extends ConfigException {
  private static final long serialVersionUID = 1L;

  private final String modelType;

  public BackendNotFoundException(String modelType, String message) {
    super(message);
    this.modelType = modelType;
  }

  /** The model type nobody serves, e.g. {@code "cross-encoder"}. */
  public String modelType() {
    return modelType;
  }
}
