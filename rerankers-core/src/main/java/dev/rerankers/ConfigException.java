package dev.rerankers;

/** A configuration string, option or builder value is malformed or not allowed. The message quotes the bad part. */
public class ConfigException extends RerankerException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  public ConfigException(Throwable cause) {
    super(cause);
  }
}
