package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.ApiException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures are classified once, transient or permanent, and only transient ones are retried: a
 * redirect loop, a refused redirect, a 4xx other than 408 and 429, and a malformed or oversized
 * answer end the call after one request (or one redirect chain).
 */
class RetryClassificationTest {
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

  private static final ProviderCase COHERE =
      ProviderCase.all().filter(p -> p.name().equals("cohere")).findFirst().orElseThrow();

  private Reranker cohere() {
    return COHERE.load(server, "&maxRetries=3&timeout=20s");
  }

  static Stream<Arguments> clientErrors() {
    return IntStream.rangeClosed(400, 451).boxed()
        .flatMap(code -> Stream.of(Arguments.of(code, "rank"), Arguments.of(code, "rankAsync")));
  }

  @ParameterizedTest(name = "HTTP {0} {1}")
  @MethodSource("clientErrors")
  void only_408_and_429_of_the_4xx_are_retried(int code, String mode) throws Exception {
    logs.watch(ProviderCase.KEY);
    server.enqueue(ProviderCase.jsonResponse(code, "{\"message\":\"no\"}"));
    server.enqueue(COHERE.ok());
    Object outcome;
    try (Reranker r = cohere()) {
      outcome = RedirectMatrixTest.call(r, mode);
    }
    if (code == 408 || code == 429) {
      assertThat(outcome).as("%d is transient", code).isInstanceOf(RankedResults.class);
      assertThat(server.getRequestCount()).isEqualTo(2);
      return;
    }
    assertThat(outcome).as("%d is permanent", code).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) outcome;
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.statusCode()).isEqualTo(code);
    assertThat(e.getMessage()).contains("after 1 attempt");
    assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    SecretScan.assertClean(e, ProviderCase.KEY);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rank", "rankAsync"})
  void an_oversized_answer_is_not_retried(String mode) throws Exception {
    logs.watch(ProviderCase.KEY);
    Buffer big = new Buffer();
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) ' ');
    for (int i = 0; i < 33; i++) {
      big.write(block);
    }
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody(big, 1 << 20).build());
    server.enqueue(COHERE.ok());
    Object outcome;
    try (Reranker r = cohere()) {
      outcome = RedirectMatrixTest.call(r, mode);
    }
    assertThat(outcome).isInstanceOf(MalformedResponseException.class);
    ApiException e = (ApiException) outcome;
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.getMessage()).contains("byte limit");
    assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rank", "rankAsync"})
  void a_redirect_loop_is_not_retried(String mode) throws Exception {
    logs.watch(ProviderCase.KEY);
    // /v2/rerank -> /a -> /v2/rerank -> ... (307 keeps the POST and its body)
    for (int i = 0; i < 200; i++) {
      String to = i % 2 == 0 ? "/a" : "/v2/rerank";
      server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", to).build());
    }
    Object outcome;
    try (Reranker r = cohere()) {
      outcome = RedirectMatrixTest.call(r, mode);
    }
    assertThat(outcome).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) outcome;
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.getMessage()).contains("redirect loop");
    assertThat(server.getRequestCount()).as("one redirect chain, not retried").isEqualTo(2);
    SecretScan.assertClean(e, ProviderCase.KEY);
  }

  @Test
  void too_many_same_origin_redirects_are_refused() throws Exception {
    for (int i = 0; i < 50; i++) {
      server.enqueue(new MockResponse.Builder().code(308).addHeader("Location", "/hop" + i).build());
    }
    Object outcome;
    try (Reranker r = cohere()) {
      outcome = RedirectMatrixTest.call(r, "rank");
    }
    assertThat(outcome).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) outcome;
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.getMessage()).contains("too many redirects");
    assertThat(server.getRequestCount()).as("the first request and 5 redirects followed").isEqualTo(6);
  }
}
