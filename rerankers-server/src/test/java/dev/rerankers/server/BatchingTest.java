package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.Document;
import dev.rerankers.server.testing.Http;
import dev.rerankers.server.testing.SlowProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cross-request batching over real loopback HTTP: 200 concurrent clients, each with its own query
 * and documents, each get their own correct answer in the right order; concurrent requests are
 * coalesced into shared scoring calls when the ranker shares batches, and never when batching is
 * off or the ranker cannot mix queries.
 */
class BatchingTest {
  static final int CLIENTS = 200;

  /** Client c's request: a query with its own word, documents that mention it 0..3 times. */
  static Map<String, Object> request(int c, Random rnd) {
    String word = "w" + c;
    List<String> docs = new ArrayList<>();
    int n = 3 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder("doc " + i + " of client " + c);
      int hits = rnd.nextInt(3);
      if (hits > 0) {
        sb.append(" ").append(word);
      }
      if (hits > 1) {
        sb.append(" topic").append(c);
      }
      docs.add(sb.toString());
    }
    Collections.shuffle(docs, rnd);
    return Map.of("query", word + " topic" + c, "texts", docs, "raw_scores", true, "return_text", true);
  }

  static List<Http.Answer> fire(URI base, List<Map<String, Object>> requests) throws Exception {
    List<CompletableFuture<Http.Answer>> futures = new ArrayList<>();
    for (Map<String, Object> r : requests) {
      futures.add(Http.sendAsync(Http.post(base, "/rerank", Http.JSON.writeValueAsString(r)).build()));
    }
    List<Http.Answer> out = new ArrayList<>();
    for (CompletableFuture<Http.Answer> f : futures) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  /** Each answer is the score of its own documents, best first, indexes pointing at its own texts. */
  @SuppressWarnings("unchecked")
  static void assertOwnAnswers(List<Map<String, Object>> requests, List<Http.Answer> answers) {
    for (int c = 0; c < requests.size(); c++) {
      Http.Answer a = answers.get(c);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      List<String> texts = (List<String>) requests.get(c).get("texts");
      String query = (String) requests.get(c).get("query");
      double[] expected = SlowProvider.scores(query, texts.stream().map(Document::of).toList());
      JsonNode arr = a.json();
      assertThat(arr).hasSize(texts.size());
      double previous = Double.POSITIVE_INFINITY;
      for (JsonNode r : arr) {
        int index = r.get("index").asInt();
        assertThat(r.get("text").asText()).isEqualTo(texts.get(index));
        assertThat(r.get("score").asDouble()).isCloseTo(expected[index], within(1e-12));
        assertThat(r.get("score").asDouble()).isLessThanOrEqualTo(previous);
        previous = r.get("score").asDouble();
      }
    }
  }

  @Test
  void two_hundred_concurrent_clients_each_get_their_own_answer_from_shared_batches() throws Exception {
    SlowProvider.CALLS.clear();
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=20").maxWait(java.time.Duration.ofMillis(5)).warmup(false).start()) {
      Random rnd = new Random(17);
      List<Map<String, Object>> requests = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        requests.add(request(c, rnd));
      }
      List<Http.Answer> answers = fire(server.uri(), requests);
      assertOwnAnswers(requests, answers);
      int calls = SlowProvider.CALLS.size();
      int max = SlowProvider.CALLS.stream().mapToInt(Integer::intValue).max().orElse(0);
      assertThat(SlowProvider.CALLS.stream().mapToInt(Integer::intValue).sum()).isEqualTo(CLIENTS);
      // 200 requests through 20 ms calls: far fewer calls than requests, some holding many requests
      assertThat(calls).as("scoring calls for %d requests: %s", CLIENTS, SlowProvider.CALLS).isLessThan(CLIENTS / 2);
      assertThat(max).isGreaterThan(5);
    }
  }

  @Test
  void without_batching_every_request_is_scored_on_its_own() throws Exception {
    SlowProvider.CALLS.clear();
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0).batching(false).concurrency(4)
        .model("m", "test-batched:m?delayMs=5").warmup(false).start()) {
      assertThat(server.models()).containsEntry("m", "concurrent");
      Random rnd = new Random(5);
      List<Map<String, Object>> requests = new ArrayList<>();
      for (int c = 0; c < 40; c++) {
        requests.add(request(c, rnd));
      }
      assertOwnAnswers(requests, fire(server.uri(), requests));
      assertThat(SlowProvider.CALLS).hasSize(40).containsOnly(1);
    }
  }

  @Test
  void a_ranker_that_cannot_mix_queries_runs_requests_side_by_side() throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("p", "test-plain:p?delayMs=5").warmup(false).start()) {
      assertThat(server.models()).containsEntry("p", "concurrent");
      Random rnd = new Random(9);
      List<Map<String, Object>> requests = new ArrayList<>();
      for (int c = 0; c < 40; c++) {
        requests.add(request(c, rnd));
      }
      assertOwnAnswers(requests, fire(server.uri(), requests));
    }
  }
}
