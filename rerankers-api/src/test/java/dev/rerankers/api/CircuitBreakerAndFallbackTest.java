package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-endpoint circuit breaker through the facade, and fallback to another ranker with core's withFallback. */
class CircuitBreakerAndFallbackTest {
  private MockWebServer primary;
  private MockWebServer backup;
  private final ProviderCase cohere = ProviderCase.all().filter(p -> p.name().equals("cohere")).findFirst().orElseThrow();
  private final ProviderCase tei = ProviderCase.all().filter(p -> p.name().equals("tei")).findFirst().orElseThrow();

  @BeforeEach
  void start() throws Exception {
    primary = new MockWebServer();
    primary.start();
    backup = new MockWebServer();
    backup.start();
  }

  @AfterEach
  void stop() {
    primary.close();
    backup.close();
  }

  @Test
  void opens_after_consecutive_failures_fails_fast_then_lets_a_trial_through() throws Exception {
    for (int i = 0; i < 2; i++) {
      primary.enqueue(ProviderCase.jsonResponse(503, "{\"message\":\"overloaded\"}"));
    }
    try (Reranker ranker = cohere.load(primary, "&maxRetries=0&circuitBreakerThreshold=2&circuitBreakerCooldown=300ms")) {
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(ServerException.class);
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(ServerException.class);
      // open: no request goes out
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS))
          .isInstanceOf(CircuitOpenException.class)
          .hasMessageContaining("circuit breaker open after 2 consecutive failures")
          .hasMessageContaining("overloaded")
          .hasMessageContaining("withFallback")
          .satisfies(e -> assertThat(((CircuitOpenException) e).isRetriable()).isTrue());
      assertThat(primary.getRequestCount()).isEqualTo(2);

      // after the cooldown one trial goes through; its success closes the breaker
      Thread.sleep(350);
      primary.enqueue(cohere.ok());
      primary.enqueue(cohere.ok());
      assertThat(ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS).get(0).id()).isEqualTo(3);
      assertThat(ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS).get(0).id()).isEqualTo(3);
      assertThat(primary.getRequestCount()).isEqualTo(4);
    }
  }

  @Test
  void a_failed_trial_opens_the_breaker_again() throws Exception {
    for (int i = 0; i < 3; i++) {
      primary.enqueue(ProviderCase.jsonResponse(500, "{\"message\":\"down\"}"));
    }
    try (Reranker ranker = cohere.load(primary, "&maxRetries=0&circuitBreakerThreshold=1&circuitBreakerCooldown=200ms")) {
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(ServerException.class);
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(CircuitOpenException.class);
      Thread.sleep(250);
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(ServerException.class);
      assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(CircuitOpenException.class);
      assertThat(primary.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void client_errors_do_not_open_the_breaker() {
    for (int i = 0; i < 4; i++) {
      primary.enqueue(ProviderCase.jsonResponse(400, "{\"message\":\"bad\"}"));
    }
    try (Reranker ranker = cohere.load(primary, "&maxRetries=0&circuitBreakerThreshold=2")) {
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS)).isInstanceOf(BadRequestException.class);
      }
    }
    assertThat(primary.getRequestCount()).isEqualTo(4);
  }

  @Test
  void with_fallback_answers_from_the_backup_when_the_primary_is_down() throws Exception {
    primary.enqueue(ProviderCase.jsonResponse(503, "{\"message\":\"overloaded\"}"));
    backup.enqueue(tei.ok());
    backup.enqueue(tei.ok());
    try (Reranker safe = Reranker.withFallback(
        cohere.load(primary, "&maxRetries=0&circuitBreakerThreshold=1&circuitBreakerCooldown=1m"),
        tei.load(backup, ""))) {
      RankedResults first = safe.rank(ProviderCase.QUERY, ProviderCase.DOCS, java.util.List.of("a", "b", "c", "d", "e"), null);
      assertThat(first.answeredBy()).isEqualTo("text-embeddings-inference:BAAI/bge-reranker-base");
      assertThat(first.stream().map(Result::id).toList()).containsExactly("d", "e", "a", "b", "c");
      // the breaker is now open: the primary fails fast, the backup answers asynchronously too
      RankedResults second = safe.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get(5, TimeUnit.SECONDS);
      assertThat(second.answeredBy()).startsWith("text-embeddings-inference:");
    }
    assertThat(primary.getRequestCount()).isEqualTo(1);
    assertThat(backup.getRequestCount()).isEqualTo(2);
  }

  @Test
  void rank_async_fails_with_the_typed_exception() {
    primary.enqueue(ProviderCase.jsonResponse(401, "{\"message\":\"who are you\"}"));
    try (Reranker ranker = cohere.load(primary, "")) {
      assertThatThrownBy(() -> ranker.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("who are you");
    }
  }
}
