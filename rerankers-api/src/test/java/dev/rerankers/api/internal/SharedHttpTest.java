package dev.rerankers.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the rankers share and what each keeps for itself: one dispatcher, thread pool and connection
 * pool for all (the root client, lazily built), a client of its own per ranker with its own
 * timeouts and interceptors, and nothing left once the last ranker is closed.
 */
class SharedHttpTest {
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

  private HttpScorer load(String type, String model, String path, String more) {
    RerankerSpec spec = Reranker.resolve(type + ":" + model + "?url="
        + URLEncoder.encode(server.url(path).toString(), StandardCharsets.UTF_8) + "&apiKey=k-123456" + more);
    return (HttpScorer) ApiScorerFactory.create(spec, SmallPartsTest.options(spec), k -> null);
  }

  @Test
  void rankers_derive_their_clients_from_one_root() {
    int before = SharedHttp.leases();
    try (HttpScorer cohere = load("cohere", "rerank-v3.5", "/v2/rerank", "&readTimeout=7s");
        HttpScorer rankgpt = load("rankgpt", "gpt-4o", "/v1", "&readTimeout=9s")) {
      OkHttpClient a = cohere.engine().client();
      OkHttpClient b = rankgpt.engine().client();
      assertThat(a).isNotSameAs(b);
      assertThat(a.dispatcher()).as("one dispatcher and thread pool").isSameAs(b.dispatcher());
      assertThat(a.dispatcher().executorService()).isSameAs(b.dispatcher().executorService());
      assertThat(a.connectionPool()).as("one connection pool").isSameAs(b.connectionPool());
      // ... and each its own settings and interceptors
      assertThat(a.readTimeoutMillis()).isEqualTo(7000);
      assertThat(b.readTimeoutMillis()).isEqualTo(9000);
      assertThat(a.followRedirects()).isFalse();
      assertThat(a.retryOnConnectionFailure()).isFalse();
      assertThat(a.interceptors()).hasExactlyElementsOfTypes(
          KeyRedaction.class, BodyLimit.class, RedirectPolicy.class, Authentication.class);
      assertThat(a.interceptors()).doesNotContainAnyElementsOf(b.interceptors());
      assertThat(SharedHttp.leases()).isEqualTo(before + 2);
    }
    assertThat(SharedHttp.leases()).isEqualTo(before);
  }

  @Test
  void the_last_ranker_closed_shuts_the_root_down_and_the_next_builds_a_new_one() {
    OkHttpClient first;
    try (HttpScorer cohere = load("cohere", "rerank-v3.5", "/v2/rerank", "")) {
      first = cohere.engine().client();
      try (HttpScorer jina = load("jina", "jina-reranker-v2-base-multilingual", "/v1/rerank", "")) {
        assertThat(jina.engine().client().dispatcher()).isSameAs(first.dispatcher());
      }
      assertThat(first.dispatcher().executorService().isShutdown()).as("still used by cohere").isFalse();
    }
    assertThat(first.dispatcher().executorService().isShutdown()).isTrue();
    try (HttpScorer again = load("cohere", "rerank-v3.5", "/v2/rerank", "")) {
      assertThat(again.engine().client().dispatcher()).isNotSameAs(first.dispatcher());
      assertThat(again.engine().client().dispatcher().executorService().isShutdown()).isFalse();
    }
  }

  @Test
  void a_ranker_holds_no_permit_after_its_calls_whatever_their_end() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("{}").build());
    server.enqueue(new MockResponse.Builder().code(400).body("{}").build());
    try (HttpScorer cohere = load("cohere", "rerank-v3.5", "/v2/rerank", "&maxRetries=0&maxConcurrency=1")) {
      for (int i = 0; i < 2; i++) {
        try {
          cohere.score("q", dev.rerankers.Document.texts(List.of("a", "b")));
        } catch (dev.rerankers.ApiException expected) {
          // the permit must come back either way
        }
      }
      server.enqueue(new MockResponse.Builder().code(200)
          .body("{\"results\":[{\"index\":0,\"relevance_score\":0.5},{\"index\":1,\"relevance_score\":0.25}]}").build());
      long t0 = System.nanoTime();
      assertThat(cohere.score("q", dev.rerankers.Document.texts(List.of("a", "b"))).values()).containsExactly(0.5, 0.25);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(cohere.engine().pending()).isZero();
    }
  }
}
