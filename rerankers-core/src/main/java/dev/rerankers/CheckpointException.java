package dev.rerankers;

/** A checkpoint file is corrupt, hostile or does not match the architecture (missing, unused or misshapen tensors). */
public class CheckpointException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public CheckpointException(Throwable cause) {
    super(cause);
  }
}
