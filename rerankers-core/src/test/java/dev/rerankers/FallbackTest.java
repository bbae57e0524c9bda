package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FallbackTest {

  @Test
  void the_fallback_answers_when_the_primary_fails_and_says_so() throws Exception {
    try (Reranker r = Reranker.withFallback(Reranker.load("test-failing:api"), Reranker.load("test-overlap:local"))) {
      RankedResults res = r.rank("cat", List.of("dog", "cat"));
      assertThat(res.answeredBy()).isEqualTo("test-overlap:local");
      assertThat(res.get(0).id()).isEqualTo(1);
      RankedResults async = r.rankAsync("cat", Document.texts(List.of("dog", "cat"))).get(5, TimeUnit.SECONDS);
      assertThat(async.answeredBy()).isEqualTo("test-overlap:local");
      assertThat(r.info().details()).containsEntry("fallback", "test-overlap:local");
    }
  }

  @Test
  void the_primary_answers_when_it_works() {
    try (Reranker r = Reranker.withFallback(Reranker.load("test-overlap:primary"), Reranker.load("test-order:fallback"))) {
      assertThat(r.rank("a", List.of("a", "b")).answeredBy()).isEqualTo("test-overlap:primary");
    }
  }

  @Test
  void bad_arguments_are_not_retried_on_the_fallback() {
    try (Reranker r = Reranker.withFallback(Reranker.load("test-overlap:primary"), Reranker.load("test-order:fallback"))) {
      assertThatThrownBy(() -> r.rank(null, List.of("a"))).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closing_closes_both() {
    int before = TestProvider.CLOSED.get();
    Reranker.withFallback(Reranker.load("test-overlap:a"), Reranker.load("test-overlap:b")).close();
    assertThat(TestProvider.CLOSED.get()).isEqualTo(before + 2);
  }
}
