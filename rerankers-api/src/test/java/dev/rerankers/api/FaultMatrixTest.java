package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rerankers.ApiException;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix, for every provider, through {@code rank} (requests on the caller's thread) and
 * {@code rankAsync} (okhttp's asynchronous calls): each fault ends in success after a retry, or in
 * the right typed exception, within the configured deadline, with the expected number of requests,
 * with no thread of the backend left once the ranker is closed, and with the API key absent from
 * every exception (message, causes, stack trace), toString() and log record of the case.
 */
class FaultMatrixTest {
  private static final String ERROR_TEXT = "provider says: slow down, bad thing happened";

  enum Fault {
    RATE_LIMITED_WITH_RETRY_AFTER,
    RATE_LIMITED_WITHOUT_RETRY_AFTER,
    RATE_LIMITED_RETRY_AFTER_TOO_LONG,
    RATE_LIMITED_EVERY_TIME,
    SERVER_ERROR_THEN_SUCCESS,
    SERVER_ERROR_EVERY_TIME,
    NOT_IMPLEMENTED_501,
    CONNECTION_RESET_THEN_SUCCESS,
    READ_TIMEOUT_THEN_SUCCESS,
    DEADLINE_PASSES,
    TRUNCATED_BODY_THEN_SUCCESS,
    MALFORMED_JSON,
    HTML_PAGE_FROM_PROXY,
    INDEX_OUT_OF_RANGE,
    NAN_SCORE,
    ABSENT_SCORE,
    UNAUTHORIZED_401,
    FORBIDDEN_403,
    OUT_OF_CREDIT_402,
    BAD_REQUEST_422
  }

  /** Every log record of every case is scanned for the key after it. */
  @RegisterExtension final SecretScan.Logs logs = new SecretScan.Logs();

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    ProviderCase.all().forEach(p -> {
      for (Fault f : Fault.values()) {
        out.add(Arguments.of(p, f, "rank"));
        out.add(Arguments.of(p, f, "rankAsync"));
      }
    });
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void ends_in_success_or_the_right_typed_exception(ProviderCase p, Fault fault, String mode) throws Exception {
    String options = "&maxRetries=2&readTimeout=300ms&timeout=3s";
    MockResponse ok = ProviderCase.jsonResponse(200, p.goodAnswer());
    String errorBody = "{\"message\":\"" + ERROR_TEXT + "\"}";
    switch (fault) {
      case RATE_LIMITED_WITH_RETRY_AFTER -> {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0.25").body(errorBody).build());
        server.enqueue(ok);
      }
      case RATE_LIMITED_WITHOUT_RETRY_AFTER -> {
        server.enqueue(ProviderCase.jsonResponse(429, errorBody));
        server.enqueue(ok);
      }
      case RATE_LIMITED_RETRY_AFTER_TOO_LONG ->
          server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").body(errorBody).build());
      case RATE_LIMITED_EVERY_TIME -> {
        for (int i = 0; i < 3; i++) {
          server.enqueue(ProviderCase.jsonResponse(429, errorBody));
        }
      }
      case SERVER_ERROR_THEN_SUCCESS -> {
        server.enqueue(ProviderCase.jsonResponse(500, errorBody));
        server.enqueue(ok);
      }
      case SERVER_ERROR_EVERY_TIME -> {
        for (int i = 0; i < 3; i++) {
          server.enqueue(ProviderCase.jsonResponse(503, errorBody));
        }
      }
      case NOT_IMPLEMENTED_501 -> server.enqueue(ProviderCase.jsonResponse(501, errorBody));
      case CONNECTION_RESET_THEN_SUCCESS -> {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(ok);
      }
      case READ_TIMEOUT_THEN_SUCCESS -> {
        server.enqueue(new MockResponse.Builder(ok).headersDelay(2, TimeUnit.SECONDS).build());
        server.enqueue(ok);
      }
      case DEADLINE_PASSES -> {
        options = "&maxRetries=5&readTimeout=5s&timeout=600ms";
        server.enqueue(new MockResponse.Builder(ok).headersDelay(3, TimeUnit.SECONDS).build());
      }
      case TRUNCATED_BODY_THEN_SUCCESS -> {
        String full = p.goodAnswer();
        server.enqueue(new MockResponse.Builder()
            .code(200)
            .body(full.substring(0, full.length() / 2))
            .setHeader("Content-Length", full.length())
            .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
        server.enqueue(ok);
      }
      case MALFORMED_JSON -> server.enqueue(ProviderCase.jsonResponse(200, "{\"results\": [{\"index\": 0, "));
      case HTML_PAGE_FROM_PROXY -> server.enqueue(new MockResponse.Builder().code(200)
          .addHeader("Content-Type", "text/html").body("<html><body>Gateway says hi</body></html>").build());
      case INDEX_OUT_OF_RANGE -> server.enqueue(ProviderCase.jsonResponse(200,
          p.answer(new int[] {3, 4, 0, 1, 7}, new String[] {"0.9", "0.8", "0.7", "0.6", "0.5"})));
      case NAN_SCORE -> server.enqueue(ProviderCase.jsonResponse(200,
          p.answer(new int[] {3, 4, 0, 1, 2}, new String[] {"0.9", "NaN", "0.7", "0.6", "0.5"})));
      case ABSENT_SCORE -> server.enqueue(ProviderCase.jsonResponse(200,
          p.answer(new int[] {3, 4, 0, 1, 2}, new String[] {"0.9", "0.8", null, "0.6", "0.5"})));
      case UNAUTHORIZED_401 -> server.enqueue(ProviderCase.jsonResponse(401,
          "{\"message\":\"invalid api token " + ProviderCase.KEY + "\"}"));
      case FORBIDDEN_403 -> server.enqueue(ProviderCase.jsonResponse(403, "{\"detail\":\"key lacks access to this model\"}"));
      case OUT_OF_CREDIT_402 -> server.enqueue(ProviderCase.jsonResponse(402, "{\"error\":{\"message\":\"no credits left\"}}"));
      case BAD_REQUEST_422 -> server.enqueue(ProviderCase.jsonResponse(422,
          "{\"detail\":[{\"loc\":[\"body\",\"query\"],\"msg\":\"field required\"}]}"));
    }

    logs.watch(ProviderCase.KEY);
    Reranker ranker = p.load(server, options);
    SecretScan.assertClean("the ranker's toString()", ranker.toString(), ProviderCase.KEY);
    long start = System.nanoTime();
    Object outcome;
    try {
      outcome = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        try {
          if (mode.equals("rank")) {
            return ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
          }
          return ranker.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get();
        } catch (ApiException e) {
          return e;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ApiException api) {
            return api;
          }
          throw e;
        }
      });
    } finally {
      ranker.close();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // whatever came back, nothing it shows holds the key (messages, causes, stack trace, toString)
    if (outcome instanceof Throwable t) {
      SecretScan.assertClean(t, ProviderCase.KEY);
    } else {
      SecretScan.assertClean("the results", String.valueOf(outcome), ProviderCase.KEY);
    }
    int requests = server.getRequestCount();

    switch (fault) {
      case RATE_LIMITED_WITH_RETRY_AFTER -> {
        assertSuccess(outcome, requests, 2);
        assertThat(took).as("Retry-After honoured").isGreaterThanOrEqualTo(Duration.ofMillis(250));
      }
      case RATE_LIMITED_WITHOUT_RETRY_AFTER, SERVER_ERROR_THEN_SUCCESS, CONNECTION_RESET_THEN_SUCCESS,
          READ_TIMEOUT_THEN_SUCCESS, TRUNCATED_BODY_THEN_SUCCESS -> assertSuccess(outcome, requests, 2);
      case RATE_LIMITED_RETRY_AFTER_TOO_LONG -> {
        RateLimitedException e = assertFailure(outcome, RateLimitedException.class, 429, true);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(e.getMessage()).contains(ERROR_TEXT).contains("maxRetryAfter");
        assertThat(requests).isEqualTo(1);
      }
      case RATE_LIMITED_EVERY_TIME -> {
        assertThat(assertFailure(outcome, RateLimitedException.class, 429, true).getMessage())
            .contains(ERROR_TEXT).contains("after 3 attempts");
        assertThat(requests).isEqualTo(3);
      }
      case SERVER_ERROR_EVERY_TIME -> {
        assertThat(assertFailure(outcome, ServerException.class, 503, true).getMessage()).contains(ERROR_TEXT);
        assertThat(requests).isEqualTo(3);
      }
      case NOT_IMPLEMENTED_501 -> {
        assertFailure(outcome, ServerException.class, 501, false);
        assertThat(requests).isEqualTo(1);
      }
      case DEADLINE_PASSES -> {
        assertThat(assertFailure(outcome, ApiTimeoutException.class, 0, true).getMessage()).contains("deadline");
        assertThat(took).as("fails at the 600 ms deadline").isLessThan(Duration.ofMillis(1500));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(550));
      }
      case MALFORMED_JSON, HTML_PAGE_FROM_PROXY, INDEX_OUT_OF_RANGE, NAN_SCORE, ABSENT_SCORE -> {
        MalformedResponseException e = assertFailure(outcome, MalformedResponseException.class, 200, false);
        assertThat(requests).as("not retried").isEqualTo(1);
        if (fault == Fault.INDEX_OUT_OF_RANGE) {
          assertThat(e.getMessage()).contains("index 7, out of range");
        } else if (fault == Fault.NAN_SCORE) {
          assertThat(e.getMessage()).contains("NaN");
        } else if (fault == Fault.ABSENT_SCORE) {
          assertThat(e.getMessage()).contains("has no '" + p.scoreField() + "'");
        } else if (fault == Fault.HTML_PAGE_FROM_PROXY) {
          assertThat(e.getMessage()).contains("not valid JSON").contains("Gateway says hi");
        }
      }
      case UNAUTHORIZED_401 -> {
        AuthenticationException e = assertFailure(outcome, AuthenticationException.class, 401, false);
        assertThat(e.getMessage()).contains("invalid api token").contains("apiKey").doesNotContain(ProviderCase.KEY)
            .doesNotContain(ProviderCase.KEY.substring(ProviderCase.KEY.length() - 8));
        assertThat(requests).isEqualTo(1);
      }
      case FORBIDDEN_403 -> {
        assertThat(assertFailure(outcome, AuthenticationException.class, 403, false).getMessage())
            .contains("key lacks access to this model");
        assertThat(requests).isEqualTo(1);
      }
      case OUT_OF_CREDIT_402 -> {
        assertThat(assertFailure(outcome, QuotaExceededException.class, 402, false).getMessage()).contains("no credits left");
        assertThat(requests).isEqualTo(1);
      }
      case BAD_REQUEST_422 -> {
        assertThat(assertFailure(outcome, BadRequestException.class, 422, false).getMessage()).contains("field required");
        assertThat(requests).isEqualTo(1);
      }
    }
    assertThat(Threads.awaitNoApiThreads()).as("threads left after close").isEmpty();
  }

  private static void assertSuccess(Object outcome, int requests, int expectedRequests) {
    if (outcome instanceof Throwable t) {
      throw new AssertionError("expected success after a retry, got " + t, t);
    }
    RankedResults r = (RankedResults) outcome;
    assertThat(r.stream().map(Result::id).toList()).containsExactly(3, 4, 0, 1, 2);
    assertThat(r.usage().get(dev.rerankers.Usage.REQUESTS)).isEqualTo(expectedRequests);
    assertThat(requests).isEqualTo(expectedRequests);
  }

  private static <T extends ApiException> T assertFailure(Object outcome, Class<T> type, int status, boolean retriable) {
    assertThat(outcome).as("outcome").isInstanceOf(type);
    T e = type.cast(outcome);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.isRetriable()).isEqualTo(retriable);
    assertThat(e.getMessage()).doesNotContain(ProviderCase.KEY);
    return e;
  }

}
