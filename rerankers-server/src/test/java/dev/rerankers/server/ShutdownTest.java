package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.server.testing.Http;
import dev.rerankers.server.testing.ServeMain;
import dev.rerankers.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

  /** 200 with the right best document, or a refusal; never a broken or wrong answer. */
  static boolean answered(int i, CompletableFuture<Http.Answer> f) throws Exception {
    try {
      Http.Answer a = f.get(60, TimeUnit.SECONDS);
      if (a.status() == 200) {
        assertThat(a.json().get(0).get("index").asInt()).isEqualTo(1);
        return true;
      }
      assertThat(a.status()).as(a.body()).isEqualTo(503);
      assertThat(a.json().get("type").asText()).isEqualTo("shutting_down");
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      // connection refused once the listener is closed
      assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
      return false;
    }
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
    Process p = ChildJvm.start(ServeMain.class, List.of("-Xmx256m"), List.of("150"), err);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("child stderr: %s", Files.readString(err)).startsWith("PORT ");
      URI base = URI.create("http://127.0.0.1:" + line.substring(5).strip());
      List<CompletableFuture<Http.Answer>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(Http.sendAsync(Http.post(base, "/rerank", body(i)).build()));
      }
      Thread.sleep(300); // all 8 accepted: one scoring, seven queued (8 x 150 ms of work)
      p.destroy(); // SIGTERM
      int ok = 0;
      for (int i = 0; i < sent.size(); i++) {
        if (answered(i, sent.get(i))) {
          ok++;
        }
      }
      assertThat(ok).as("accepted requests answered").isEqualTo(8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<String> lines = new ArrayList<>();
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        lines.add(l);
      }
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
