package dev.rerankers.server.internal;

/**
 * A request that ends with an error status: the status, a short machine-readable type and a
 * message for the client. Sent as a JSON body ({@link Exchange#fail}); never carries a stack trace
 * to the client.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Error types, as sent in the body's {@code type}. */
  public static final String INVALID_JSON = "invalid_json";
  public static final String VALIDATION = "validation";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String NOT_FOUND = "not_found";
  public static final String MODEL_NOT_FOUND = "model_not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String OVERLOADED = "overloaded";
  public static final String TIMEOUT = "timeout";
  public static final String NOT_READY = "not_ready";
  public static final String SHUTTING_DOWN = "shutting_down";
  public static final String INTERNAL = "internal";
  public static final String UPSTREAM = "upstream";
  /** The client hung up before its answer (never seen by it; counted in the metrics). */
  public static final String CLIENT_CLOSED = "client_closed";

  private final int status;
  private final String type;
  private final long retryAfterSeconds;

  public HttpError(int status, String type, String message) {
    this(status, type, message, 0);
  }

  /** An error that tells the client when to retry ({@code Retry-After}, seconds; 0: not sent). */
  public HttpError(int status, String type, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  static HttpError validation(String message) {
    return new HttpError(422, VALIDATION, message);
  }

  static HttpError tooLarge(String message) {
    return new HttpError(413, PAYLOAD_TOO_LARGE, message);
  }
}
