package dev.rerankers.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.api.ApiTimeoutException;
import dev.rerankers.api.ServerException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;
import dev.rerankers.spi.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine leaves nothing pending: no call in flight or queued, no exchange waiting, after each outcome. */
class HttpEngineTest {
  private MockWebServer server;
  private HttpEngine engine;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    engine = new HttpEngine("test", new TransportSettings(
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1500), 5,
        new Backoff(Duration.ofMillis(5), Duration.ofMillis(10)), Duration.ofSeconds(1), 0, Duration.ofSeconds(1), 4, false),
        server.url("/x"), Headers.of(), Secret.of("apiKey", "k"), "Authorization", "Bearer ", "the apiKey option");
  }

  @AfterEach
  void stop() {
    engine.close();
    server.close();
  }

  private CompletableFuture<HttpEngine.Answer<String>> post() {
    return engine.post("{}".getBytes(StandardCharsets.UTF_8),
        System.nanoTime() + engine.settings().timeout().toNanos(), b -> new String(b, StandardCharsets.UTF_8), null);
  }

  @Test
  void a_passed_deadline_cancels_the_call_in_flight() throws Exception {
    server.enqueue(new MockResponse.Builder().body("late").headersDelay(5, TimeUnit.SECONDS).build());
    CompletableFuture<HttpEngine.Answer<String>> f = post();
    Throwable e = null;
    try {
      f.get(4, TimeUnit.SECONDS);
    } catch (ExecutionException ex) {
      e = ex.getCause();
    }
    assertThat(e).isInstanceOf(ApiTimeoutException.class).hasMessageContaining("deadline");
    waitIdle();
    assertThat(engine.pending()).isZero();
  }

  @Test
  void retries_then_gives_up_leaving_nothing_pending() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(new MockResponse.Builder().code(502).body("{\"error\":\"bad gateway\"}").build());
    }
    Throwable e = null;
    try {
      post().get(4, TimeUnit.SECONDS);
    } catch (ExecutionException ex) {
      e = ex.getCause();
    }
    assertThat(e).isInstanceOf(ServerException.class).hasMessageContaining("after 6 attempts").hasMessageContaining("bad gateway");
    waitIdle();
    assertThat(engine.pending()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void cancelling_the_future_cancels_the_request() throws Exception {
    server.enqueue(new MockResponse.Builder().body("late").headersDelay(5, TimeUnit.SECONDS).build());
    CompletableFuture<HttpEngine.Answer<String>> f = post();
    Thread.sleep(100);
    f.cancel(true);
    waitIdle();
    assertThat(engine.pending()).isZero();
  }

  @Test
  void close_fails_what_waits_for_a_retry() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0.9").body("{}").build());
    CompletableFuture<HttpEngine.Answer<String>> f = post();
    Thread.sleep(150); // the 429 arrived; the exchange waits for its retry
    engine.close();
    Throwable e = null;
    try {
      f.get(1, TimeUnit.SECONDS);
    } catch (ExecutionException ex) {
      e = ex.getCause();
    }
    assertThat(e).hasMessageContaining("closed");
    assertThat(engine.pending()).isZero();
  }

  private void waitIdle() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (engine.pending() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }
}
