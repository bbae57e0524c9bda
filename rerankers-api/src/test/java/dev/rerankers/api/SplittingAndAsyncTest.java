package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Splitting over a provider's limit (250 documents against Pinecone's 100), concurrency bounded by
 * maxConcurrency, the token budget split, and asynchronous ranking that holds no caller thread.
 */
class SplittingAndAsyncTest {
  private MockWebServer server;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger maxHttpThreads = new AtomicInteger();
  private final ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
  private volatile long delayMs = 0;

  /** A deterministic relevance for document "doc k": a permutation of 0..999 scaled to (0, 1). */
  static double relevance(int k) {
    return ((k * 379L) % 1000 + 1) / 1001.0;
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        maxHttpThreads.accumulateAndGet((int) Threads.apiThreads().stream().filter(n -> n.contains("-http-")).count(), Math::max);
        try {
          if (delayMs > 0) {
            Thread.sleep(delayMs);
          }
          return pineconeAnswer(ProviderCase.json(request.getBody().utf8()));
        } finally {
          inFlight.decrementAndGet();
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Pinecone's answer for a request: every document scored by relevance(), best first. */
  private MockResponse pineconeAnswer(JsonNode body) {
    JsonNode docs = body.get("documents");
    batchSizes.add(docs.size());
    List<int[]> scored = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      int k = Integer.parseInt(docs.get(i).get("text").asText().substring("doc ".length()));
      scored.add(new int[] {i, k});
    }
    scored.sort(Comparator.comparingDouble((int[] a) -> -relevance(a[1])));
    StringBuilder sb = new StringBuilder("{\"model\":\"bge-reranker-v2-m3\",\"data\":[");
    for (int j = 0; j < scored.size(); j++) {
      sb.append(j == 0 ? "" : ",").append("{\"index\":").append(scored.get(j)[0])
          .append(",\"score\":").append(relevance(scored.get(j)[1])).append('}');
    }
    sb.append("],\"usage\":{\"rerank_units\":1}}");
    return ProviderCase.jsonResponse(200, sb.toString());
  }

  private static List<String> docs(int n) {
    List<String> d = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      d.add("doc " + k);
    }
    return d;
  }

  private String spec(String options) {
    return "pinecone:bge-reranker-v2-m3?url=" + ProviderCase.enc(server.url("/rerank").toString())
        + "&apiKey=k-123" + options;
  }

  @Test
  void splits_250_documents_into_requests_of_100_and_merges_one_ranking() {
    delayMs = 150; // long enough for the three requests to overlap
    RankedResults r;
    try (Reranker ranker = Reranker.load(spec(""))) {
      r = ranker.rank("q", docs(250));
    }
    assertThat(server.getRequestCount()).isEqualTo(3);
    List<Integer> sizes = new ArrayList<>(batchSizes);
    Collections.sort(sizes);
    assertThat(sizes).containsExactly(50, 100, 100);
    assertThat(maxInFlight.get()).as("requests sent concurrently").isGreaterThanOrEqualTo(2);

    List<Integer> expected = new ArrayList<>();
    for (int k = 0; k < 250; k++) {
      expected.add(k);
    }
    expected.sort(Comparator.comparingDouble((Integer k) -> -relevance(k)));
    assertThat(r.stream().map(Result::id).toList()).isEqualTo(expected);
    for (Result res : r) {
      assertThat(res.score()).isEqualTo(relevance((Integer) res.id()));
      assertThat(res.text()).isEqualTo("doc " + res.id());
    }
    assertThat(r.usage().get(Usage.RERANK_UNITS)).isEqualTo(3);
    assertThat(r.usage().get(Usage.REQUESTS)).isEqualTo(3);
  }

  @Test
  void max_concurrency_bounds_requests_in_flight() {
    delayMs = 50;
    try (Reranker ranker = Reranker.load(spec("&maxConcurrency=1&batchSize=25"))) {
      RankedResults r = ranker.rank("q", docs(100));
      assertThat(r.size()).isEqualTo(100);
    }
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(maxInFlight.get()).isEqualTo(1);
  }

  @Test
  void a_token_budget_splits_requests_further() {
    List<String> d = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      d.add("doc " + k);
    }
    // "q" is 1 token, "doc k" 2 tokens: 3 per document; a budget of 9 holds 3 documents.
    try (Reranker ranker = Reranker.load(spec("&maxRequestTokens=9"))) {
      assertThat(ranker.rank("q", d).size()).isEqualTo(10);
    }
    List<Integer> sizes = new ArrayList<>(batchSizes);
    Collections.sort(sizes);
    assertThat(sizes).containsExactly(1, 3, 3, 3);
  }

  @Test
  void rank_async_returns_at_once_and_holds_at_most_max_concurrency_threads() throws Exception {
    delayMs = 100;
    try (Reranker ranker = Reranker.load(spec("&maxConcurrency=3"))) {
      List<CompletableFuture<RankedResults>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        futures.add(ranker.rankAsync("q", Document.texts(docs(5))));
      }
      long submitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(submitMs).as("30 rankAsync calls submitted without waiting for answers").isLessThan(1000);
      assertThat(futures.stream().filter(CompletableFuture::isDone).count()).isLessThan(30);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      for (CompletableFuture<RankedResults> f : futures) {
        assertThat(f.join().size()).isEqualTo(5);
      }
    }
    assertThat(server.getRequestCount()).isEqualTo(30);
    assertThat(maxInFlight.get()).isLessThanOrEqualTo(3);
    // okhttp's dispatcher promotes the next queued call from the thread that is finishing the previous
    // one, so its pool can briefly hold a fresh thread beside a still-running one: allow that slack,
    // but never a thread per call (30).
    assertThat(maxHttpThreads.get()).as("http threads: about one per request in flight, never one per call").isLessThanOrEqualTo(2 * 3);
    assertThat(Threads.awaitNoApiThreads()).isEmpty();
  }
}
