package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.ApiException;
import dev.rerankers.api.ApiConnectionException;
import dev.rerankers.api.ApiTimeoutException;
import dev.rerankers.api.AuthenticationException;
import dev.rerankers.api.BadRequestException;
import dev.rerankers.api.CircuitOpenException;
import dev.rerankers.api.MalformedResponseException;
import dev.rerankers.api.QuotaExceededException;
import dev.rerankers.api.RateLimitedException;
import dev.rerankers.api.RedirectRefusedException;
import dev.rerankers.api.ServerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One failed attempt, classified: what kind, the HTTP status (0 without a response), the
 * provider's own error text (key already masked), the wait the provider asked for, and the cause.
 * Turned into the typed public exception only once the call gives up, so the message can tell how
 * many attempts were made.
 */
record Failure(Kind kind, int status, String detail, Duration retryAfter, Throwable cause) {

  enum Kind {
    AUTH,
    QUOTA,
    RATE_LIMITED,
    BAD_REQUEST,
    SERVER,
    TIMEOUT,
    CONNECTION,
    MALFORMED,
    REDIRECT,
    CIRCUIT_OPEN
  }

  /**
   * Whether another attempt may succeed: the one place that decides what is retried. Transient:
   * 408, 429 (unless out of credit), 5xx but 501 and 505, timeouts and I/O failures. Permanent:
   * every other 4xx, a refused redirect or a redirect loop, a malformed or oversized answer.
   */
  boolean retriable() {
    return switch (kind) {
      case RATE_LIMITED, TIMEOUT, CONNECTION -> true;
      case SERVER -> status != 501 && status != 505;
      default -> false;
    };
  }

  /** Whether this attempt counts as the endpoint being unhealthy (for the circuit breaker). */
  boolean endpointUnhealthy() {
    return switch (kind) {
      case SERVER, TIMEOUT, CONNECTION, MALFORMED -> true;
      default -> false;
    };
  }

  /** A one-line description: {@code HTTP 503 "overloaded"} or the I/O error. */
  String summary() {
    return (status > 0 ? "HTTP " + status + " " : "") + (detail == null ? "" : detail);
  }

  /** Classifies an HTTP error status and its body (the key already masked in it by {@link KeyRedaction}). */
  static Failure fromStatus(int status, byte[] body, Duration retryAfter) {
    ErrorText text = ErrorText.of(body);
    Kind kind;
    if (status == 401 || status == 403) {
      kind = Kind.AUTH;
    } else if (status == 402) {
      kind = Kind.QUOTA;
    } else if (status == 408) {
      kind = Kind.TIMEOUT;
    } else if (status == 429) {
      // OpenAI-style APIs answer 429 when the account has no credit left; retrying cannot help.
      kind = text.code().contains("insufficient_quota") ? Kind.QUOTA : Kind.RATE_LIMITED;
    } else if (status >= 500 && status <= 599) {
      kind = Kind.SERVER;
    } else if (status >= 400 && status <= 499) {
      kind = Kind.BAD_REQUEST;
    } else {
      kind = Kind.MALFORMED;
    }
    return new Failure(kind, status, text.message(), retryAfter, null);
  }

  /** Classifies a transport failure (no complete response). */
  static Failure fromIo(IOException e, Secret key) {
    if (e instanceof RedirectPolicy.Refused r) {
      return new Failure(Kind.REDIRECT, r.status, Secret.redact(r.getMessage(), key), null, r);
    }
    if (e instanceof BodyLimit.Oversized o) {
      // The answer came, and the same request would bring it again.
      return malformed(o.status, o.getMessage(), null, key);
    }
    String msg = Secret.redact(String.valueOf(e.getMessage()), key);
    if (e instanceof ProtocolException && msg.contains("HTTP_PROXY_AUTH")) {
      // okhttp's answer to a 407 when no proxy is configured: the same request gets it again.
      return new Failure(Kind.BAD_REQUEST, 407, "proxy authentication required, but no proxy is configured", null, e);
    }
    if (e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
      return new Failure(Kind.TIMEOUT, 0, "timed out (" + e.getClass().getSimpleName() + ": " + msg + ")", null, e);
    }
    return new Failure(Kind.CONNECTION, 0, e.getClass().getSimpleName() + ": " + msg, null, e);
  }

  static Failure malformed(int status, String detail, Throwable cause, Secret key) {
    return new Failure(Kind.MALFORMED, status, Secret.redact(detail, key), null, cause);
  }

  /**
   * The public exception for this failure.
   *
   * @param provider the provider name
   * @param where e.g. {@code "POST https://api.cohere.com/v2/rerank"}
   * @param keyHint how to set the key, e.g. {@code "the apiKey option or COHERE_API_KEY"}
   * @param outcome e.g. {@code "after 4 attempts"}, appended in parentheses when not empty
   */
  ApiException toException(String provider, String where, String keyHint, String outcome) {
    String head = provider + ": " + (status > 0 ? "HTTP " + status + " from " : "") + where;
    String tail = outcome == null || outcome.isEmpty() ? "" : " (" + outcome + ")";
    String d = detail == null || detail.isEmpty() ? "" : ": " + detail;
    return switch (kind) {
      case AUTH -> new AuthenticationException(
          provider, status, head + d + "; the key was refused: check " + keyHint + tail, cause);
      case QUOTA -> new QuotaExceededException(
          provider, status, head + d + "; the account is out of credit or over its quota: top it up or use another key" + tail, cause);
      case RATE_LIMITED -> new RateLimitedException(
          provider, status,
          head + d + "; rate limited" + (retryAfter == null ? "" : ", asked to wait " + Durations.format(retryAfter))
              + ": lower the request rate, raise maxRetries/timeout, or add a fallback" + tail,
          retryAfter, cause);
      case BAD_REQUEST -> new BadRequestException(
          provider, status, head + d + "; the request was rejected: " + badRequestHint(status) + tail, cause);
      case SERVER -> new ServerException(
          provider, status, head + d + "; the provider failed on its side" + tail, cause);
      case TIMEOUT -> new ApiTimeoutException(
          provider, status, head + d + "; raise the timeout options (timeout, attemptTimeout, readTimeout) or send fewer documents per request (batchSize)" + tail, cause);
      case CONNECTION -> new ApiConnectionException(
          provider, status, head + d + "; check the url and the network" + tail, cause);
      case MALFORMED -> new MalformedResponseException(
          provider, status, head + d + "; the answer is not the provider's documented JSON: check that url points at the " + provider + " API" + tail, cause);
      case REDIRECT -> new RedirectRefusedException(
          provider, status, head + d + tail,
          cause instanceof RedirectPolicy.Refused r ? r.from : null,
          cause instanceof RedirectPolicy.Refused r ? r.to : null, cause);
      case CIRCUIT_OPEN -> new CircuitOpenException(
          provider, 0, head + d + tail, cause);
    };
  }

  private static String badRequestHint(int status) {
    return switch (status) {
      case 404 -> "check the url and the model name";
      case 413 -> "the request is too large: lower batchSize, set maxRequestTokens or truncate documents with maxLength";
      case 407 -> "a proxy between you and the provider wants credentials: configure the JVM's proxy settings";
      default -> "check the model name, the documents (empty texts, lengths: see maxLength) and the provider's limits";
    };
  }

  /** The provider's error text and code, found in the usual places of an error body. */
  record ErrorText(String message, String code) {
    static ErrorText of(byte[] body) {
      if (body == null || body.length == 0) {
        return new ErrorText("", "");
      }
      String raw = new String(body, StandardCharsets.UTF_8);
      String message = null;
      String code = "";
      try {
        JsonNode root = WireJson.parse(body);
        message = firstText(root, "message", "detail", "error", "error_message", "title", "msg");
        JsonNode err = root.path("error");
        if (err.isObject()) {
          code = (err.path("code").asText("") + " " + err.path("type").asText("")).toLowerCase(Locale.ROOT);
        }
        code = (code + " " + root.path("code").asText("") + " " + root.path("error_type").asText(""))
            .toLowerCase(Locale.ROOT).strip();
      } catch (BadAnswer e) {
        // Not JSON (an HTML page from a proxy, plain text): quote it as it is.
      }
      if (message == null || message.isBlank()) {
        message = raw;
      }
      return new ErrorText("\"" + Snippet.of(message, 300) + "\"", code);
    }

    private static String firstText(JsonNode node, String... keys) {
      for (String k : keys) {
        JsonNode v = node.path(k);
        if (v.isTextual() && !v.asText().isBlank()) {
          return v.asText();
        }
        if (v.isObject()) {
          String inner = firstText(v, "message", "detail", "msg");
          if (inner != null) {
            return inner;
          }
        }
        if (v.isArray() && !v.isEmpty()) {
          // FastAPI-style validation errors: [{"loc": [...], "msg": "..."}]
          JsonNode first = v.get(0);
          String inner = first.isTextual() ? first.asText() : firstText(first, "msg", "message", "detail");
          if (inner != null) {
            return inner;
          }
        }
      }
      return null;
    }
  }
}
