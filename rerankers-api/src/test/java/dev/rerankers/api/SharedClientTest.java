package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.RankRequest;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The rankers of a JVM share one okhttp client's pools, seen from the server: a second ranker's
 * request reuses the first one's connection; each ranker keeps its own {@code maxConcurrency} on
 * the shared dispatcher, {@code rank} included; and no thread of the backend is left once the
 * last ranker is closed.
 */
class SharedClientTest {
  private static final ProviderCase COHERE = ProviderCase.all().filter(p -> p.name().equals("cohere")).findFirst().orElseThrow();
  private static final ProviderCase JINA = ProviderCase.all().filter(p -> p.name().equals("jina")).findFirst().orElseThrow();

  private MockWebServer server;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger maxTotal = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  private volatile long delayMs;

  @BeforeEach
  void start() throws Exception {
    assertThat(Threads.awaitNoApiThreads()).as("no ranker of an earlier test left open").isEmpty();
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        int now = inFlight.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(path, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        maxTotal.accumulateAndGet(total.incrementAndGet(), Math::max);
        try {
          if (delayMs > 0) {
            Thread.sleep(delayMs);
          }
          ProviderCase p = path.equals(COHERE.path()) ? COHERE : JINA;
          return ProviderCase.jsonResponse(200, p.goodAnswer());
        } finally {
          inFlight.get(path).decrementAndGet();
          total.decrementAndGet();
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_second_ranker_reuses_the_first_ones_connection() throws Exception {
    try (Reranker cohere = COHERE.load(server, ""); Reranker jina = JINA.load(server, "")) {
      assertThat(cohere.rank(ProviderCase.QUERY, ProviderCase.DOCS).size()).isEqualTo(5);
      assertThat(jina.rank(ProviderCase.QUERY, ProviderCase.DOCS).size()).isEqualTo(5);
      assertThat(cohere.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get(5, TimeUnit.SECONDS).size())
          .isEqualTo(5);
    }
    RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(1, TimeUnit.SECONDS);
    RecordedRequest third = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(first.getUrl().encodedPath()).isEqualTo(COHERE.path());
    assertThat(second.getUrl().encodedPath()).isEqualTo(JINA.path());
    assertThat(second.getConnectionIndex()).as("jina's request on cohere's pooled connection").isEqualTo(first.getConnectionIndex());
    assertThat(second.getExchangeIndex()).isEqualTo(first.getExchangeIndex() + 1);
    assertThat(third.getConnectionIndex()).as("an async call on the same pooled connection").isEqualTo(first.getConnectionIndex());
    assertThat(Threads.awaitNoApiThreads()).as("threads left after the last ranker closed").isEmpty();
  }

  @Test
  void each_ranker_keeps_its_own_bound_on_the_shared_dispatcher_rank_and_rank_async_alike() throws Exception {
    delayMs = 150;
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (Reranker cohere = COHERE.load(server, "&maxConcurrency=2"); Reranker jina = JINA.load(server, "&maxConcurrency=3")) {
      List<CompletableFuture<RankedResults>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(CompletableFuture.supplyAsync(() -> cohere.rank(ProviderCase.QUERY, ProviderCase.DOCS), callers));
        all.add(jina.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      for (CompletableFuture<RankedResults> f : all) {
        assertThat(f.join().size()).isEqualTo(5);
      }
    } finally {
      callers.shutdown();
    }
    assertThat(server.getRequestCount()).isEqualTo(16);
    assertThat(maxInFlight.get(COHERE.path()).get()).as("cohere, rank() from 8 threads").isEqualTo(2);
    assertThat(maxInFlight.get(JINA.path()).get()).as("jina, rankAsync()").isEqualTo(3);
    assertThat(maxTotal.get()).as("both at once on one dispatcher").isGreaterThan(3).isLessThanOrEqualTo(5);
    assertThat(Threads.awaitNoApiThreads()).isEmpty();
  }

  @Test
  void rank_all_sends_every_querys_request_at_once() {
    delayMs = 300;
    List<RankRequest> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      requests.add(RankRequest.ofTexts(ProviderCase.QUERY + " " + i, ProviderCase.DOCS));
    }
    List<RankedResults> results;
    try (Reranker cohere = COHERE.load(server, "")) {
      results = cohere.rankAll(requests);
    }
    assertThat(results).hasSize(4);
    for (RankedResults r : results) {
      assertThat(r.stream().map(Result::id).toList()).isEqualTo(ProviderCase.EXPECTED_ORDER);
    }
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(maxInFlight.get(COHERE.path()).get()).as("the four queries' requests overlap").isEqualTo(4);
  }

  @Test
  void closing_one_ranker_leaves_the_others_working() throws Exception {
    Reranker cohere = COHERE.load(server, "");
    try (Reranker jina = JINA.load(server, "")) {
      assertThat(cohere.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get(5, TimeUnit.SECONDS).size())
          .isEqualTo(5);
      cohere.close();
      assertThat(Threads.apiThreads()).as("the shared threads live while jina is open").isNotEmpty();
      assertThat(jina.rank(ProviderCase.QUERY, ProviderCase.DOCS).size()).isEqualTo(5);
      assertThat(jina.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get(5, TimeUnit.SECONDS).size())
          .isEqualTo(5);
    }
    assertThat(Threads.awaitNoApiThreads()).isEmpty();
  }
}
