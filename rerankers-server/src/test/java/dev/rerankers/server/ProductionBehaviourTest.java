package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.server.testing.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Overload, deadlines, readiness and a client that hangs up, over real loopback HTTP. */
class ProductionBehaviourTest {

  static String body(String query, String... texts) throws Exception {
    return Http.JSON.writeValueAsString(Map.of("query", query, "texts", List.of(texts)));
  }

  @Test
  void a_full_queue_answers_429_with_retry_after_and_nothing_hangs() throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=300").queueCapacity(2).maxBatchTokens(1).warmup(false).start()) {
      List<CompletableFuture<Http.Answer>> futures = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        futures.add(Http.sendAsync(Http.post(server.uri(), "/rerank", body("q" + i, "a q" + i, "b")).build()));
      }
      int ok = 0;
      int refused = 0;
      for (CompletableFuture<Http.Answer> f : futures) {
        Http.Answer a = f.get(30, TimeUnit.SECONDS);
        if (a.status() == 200) {
          ok++;
        } else {
          assertThat(a.status()).as(a.body()).isEqualTo(429);
          assertThat(Long.parseLong(a.header("Retry-After"))).isGreaterThanOrEqualTo(1);
          assertThat(a.json().get("type").asText()).isEqualTo("overloaded");
          assertThat(a.json().get("message").asText()).contains("queue holds 2");
          refused++;
        }
      }
      // one batch running plus two waiting can be accepted at a time: most are refused at once
      assertThat(ok).isGreaterThanOrEqualTo(3);
      assertThat(refused).isGreaterThan(0);
      assertThat(ok + refused).isEqualTo(30);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void a_request_past_its_deadline_gets_504() throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=800").requestTimeout(Duration.ofMillis(150)).warmup(false).start()) {
      Http.Answer a = Http.send(Http.post(server.uri(), "/rerank", body("q", "a")).build());
      assertThat(a.status()).as(a.body()).isEqualTo(504);
      assertThat(a.json().get("type").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void health_is_live_and_ready_says_when_models_are_loaded() throws Exception {
    RerankServer server = RerankServer.builder().host("127.0.0.1").port(0).model("m", "test-batched:m").start();
    try {
      assertThat(Http.get(server.uri(), "/health").status()).isEqualTo(200);
      Http.Answer ready = Http.get(server.uri(), "/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("models").get("m").asText()).isEqualTo("loaded");
    } finally {
      server.stop();
    }
    assertThat(server.isReady()).isFalse();
  }

  @Test
  void a_client_that_hangs_up_mid_request_does_not_disturb_its_batch() throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=200").maxWait(Duration.ofMillis(50)).warmup(false).start()) {
      // a first request occupies the worker, so the next ones queue and share one batch
      CompletableFuture<Http.Answer> first = Http.sendAsync(Http.post(server.uri(), "/rerank", body("zero", "zero doc")).build());
      Thread.sleep(50);
      List<CompletableFuture<Http.Answer>> others = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        others.add(Http.sendAsync(Http.post(server.uri(), "/rerank", body("w" + i, "x", "w" + i + " here")).build()));
      }
      byte[] payload = body("gone", "gone doc", "other").getBytes(StandardCharsets.UTF_8);
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /rerank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
        Thread.sleep(20);
      } // hung up before the answer
      assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      for (int i = 0; i < 5; i++) {
        Http.Answer a = others.get(i).get(10, TimeUnit.SECONDS);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode best = a.json().get(0);
        assertThat(best.get("index").asInt()).isEqualTo(1);
      }
      // and the server goes on serving
      assertThat(Http.send(Http.post(server.uri(), "/rerank", body("after", "after x")).build()).status()).isEqualTo(200);
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      }
    }
  }
}
