package dev.rerankers.hub;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** A non-2xx answer from the Hub or its CDN, before it is turned into a message for the user. */
final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient URI uri;
  private final String shown;
  private final String errorCode;
  private final String serverMessage;
  private final transient Duration retryAfter;

  /** {@code shown}: the address for messages, without query string, the token masked. */
  HttpStatusException(int status, URI uri, String shown, String errorCode, String serverMessage, Duration retryAfter) {
    super("HTTP " + status + " from " + shown);
    this.status = status;
    this.uri = uri;
    this.shown = shown;
    this.errorCode = errorCode;
    this.serverMessage = serverMessage;
    this.retryAfter = retryAfter;
  }

  int status() {
    return status;
  }

  URI uri() {
    return uri;
  }

  /** The address for messages: no query string, the token masked. */
  String shown() {
    return shown;
  }

  /** The Hub's {@code X-Error-Code} header ({@code RepoNotFound}, {@code GatedRepo}, ...), or null. */
  String errorCode() {
    return errorCode;
  }

  /** The Hub's {@code X-Error-Message} or the body's {@code error} field, cleaned; or null. */
  String serverMessage() {
    return serverMessage;
  }

  /** The {@code Retry-After} delay, if the server sent one (seconds or an HTTP date). */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether trying again later may succeed: 408, 429 and 5xx gateway or server errors. */
  boolean retriable() {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }
}
