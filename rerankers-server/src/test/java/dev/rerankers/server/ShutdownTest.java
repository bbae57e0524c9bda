package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.server.testing.Http;
import dev.rerankers.server.testing.ServeMain;
import dev.rerankers.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown under load: once stopping, the server is not ready and refuses new requests,
 * every request it had accepted gets its complete answer, then it closes the models. Proven
 * through {@link RerankServer#stop()} and through a real SIGTERM to a child JVM.
 */
class ShutdownTest {

  static String body(int i) {
    try {
      return Http.JSON.writeValueAsString(Map.of("query", "w" + i, "texts", List.of("x", "w" + i + " here"), "raw_scores", true));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The model's queue depth, from the server's own metrics. */
  static int queueDepth(URI base) {
    for (String line : Http.get(base, "/metrics").body().split("\n")) {
      if (line.startsWith("rerankers_queue_depth{model=\"m\"}")) {
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void stop_drains_accepted_requests_and_refuses_new_ones() throws Exception {
    RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=100").maxBatchTokens(1).warmup(false).start();
    URI base = server.uri();
    List<CompletableFuture<Http.Answer>> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accepted.add(Http.sendAsync(Http.post(base, "/rerank", body(i)).build()));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.inFlight() < 10 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(server.inFlight()).isEqualTo(10);
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.isReady() && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    // while draining: not ready, new requests refused
    Http.Answer late = Http.send(Http.post(base, "/rerank", body(99)).build());
    assertThat(late.status()).isEqualTo(503);
    assertThat(late.json().get("type").asText()).isEqualTo("shutting_down");
    assertThat(late.header("Connection")).isEqualTo("close");
    Http.Answer ready = Http.get(base, "/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().get("status").asText()).isEqualTo("stopping");
    // every accepted request completes with its own answer (10 x 100 ms, one at a time)
    for (int i = 0; i < 10; i++) {
      Http.Answer a = accepted.get(i).get(30, TimeUnit.SECONDS);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      assertThat(a.json().get(0).get("index").asInt()).isEqualTo(1);
    }
    stopping.get(30, TimeUnit.SECONDS);
    assertThat(server.inFlight()).isZero();
    // the listener is closed
    assertThat(Http.sendAsync(Http.post(base, "/rerank", body(100)).build()))
        .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class);
  }

  @Test
  void sigterm_under_load_answers_every_accepted_request() throws Exception {
    Path err = Files.createTempFile("serve-child", ".log");
    Process p = ChildJvm.start(ServeMain.class, List.of("-Xmx256m"), List.of("300"), err);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("child stderr: %s", Files.readString(err)).startsWith("PORT ");
      URI base = URI.create("http://127.0.0.1:" + line.substring(5).strip());
      List<CompletableFuture<Http.Answer>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(Http.sendAsync(Http.post(base, "/rerank", body(i)).build()));
      }
      // wait until all 8 are accepted: answered, being scored (one at a time) or queued
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (sent.stream().filter(CompletableFuture::isDone).count() + queueDepth(base) + 1 < 8) {
        assertThat(System.nanoTime()).as("8 requests accepted in time").isLessThan(until);
        Thread.sleep(10);
      }
      p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its stdout)
      List<String> outcomes = new ArrayList<>();
      for (CompletableFuture<Http.Answer> f : sent) {
        try {
          Http.Answer a = f.get(60, TimeUnit.SECONDS);
          outcomes.add(a.status() + " " + a.body());
          assertThat(a.status()).as(a.body()).isEqualTo(200);
          assertThat(a.json().get(0).get("index").asInt()).isEqualTo(1);
        } catch (java.util.concurrent.ExecutionException e) {
          outcomes.add(e.getCause().toString());
        }
      }
      assertThat(outcomes).as("every accepted request answered; child: %s", Files.readString(err))
          .allMatch(o -> o.startsWith("200 "));
      List<String> lines = new ArrayList<>();
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        lines.add(l); // until the child exits
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(lines).anyMatch(l -> l.startsWith("STOPPING inFlight=")).contains("STOPPED");
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hook and exited
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(Http.sendAsync(Http.post(base, "/rerank", body(9)).build()))
          .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }
}
