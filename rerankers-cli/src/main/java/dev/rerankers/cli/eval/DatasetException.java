package dev.rerankers.cli.eval;

import dev.rerankers.ConfigException;

/**
 * A dataset folder is missing a file or holds a malformed line. The message names the file and,
 * where there is one, the 1-based line, then the fix.
 */
public class DatasetException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
