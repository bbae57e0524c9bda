package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The facade's contract, through a provider registered by ServiceLoader like any third party's. */
class RerankerTest {

  private static Reranker overlap() {
    return Reranker.load("test-overlap:words");
  }

  @Test
  void ranks_by_descending_score_with_ids_defaulting_to_positions() {
    try (Reranker r = overlap()) {
      RankedResults res = r.rank("I love you", List.of("I hate you", "I really love you", "nothing"));
      assertThat(res.hasScores()).isTrue();
      assertThat(res.stream().map(Result::id)).containsExactly(1, 0, 2);
      assertThat(res.stream().map(Result::rank)).containsExactly(1, 2, 3);
      assertThat(res.topK(1).get(0).text()).isEqualTo("I really love you");
      assertThat(res.scoreOf(1)).hasValue(3.0);
      assertThat(res.scoreOf(1L)).hasValue(3.0);
      assertThat(res.scoreOf(7)).isEmpty();
      assertThat(res.resultOf(2)).get().extracting(Result::rank).isEqualTo(3);
      assertThat(res.usage().get(Usage.TOKENS)).isEqualTo(3);
      assertThat(res.answeredBy()).isEqualTo("test-overlap:words");
      assertThat(res.elapsed()).isPositive();
      assertThat(res.toString()).contains("I really love you").contains("3 results");
    }
  }

  @Test
  void ties_keep_input_order_and_nothing_is_dropped_or_duplicated() {
    try (Reranker r = overlap()) {
      List<String> docs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        docs.add(i % 3 == 0 ? "apple" : "pear");
      }
      RankedResults res = r.rank("apple", docs);
      List<Object> ids = res.stream().map(Result::id).toList();
      assertThat(ids).doesNotHaveDuplicates().hasSize(50);
      List<Object> expected = new ArrayList<>();
      for (int i = 0; i < 50; i += 3) {
        expected.add(i);
      }
      for (int i = 0; i < 50; i++) {
        if (i % 3 != 0) {
          expected.add(i);
        }
      }
      assertThat(ids).isEqualTo(expected);
    }
  }

  @Test
  void caller_ids_and_metadata_come_back_untouched() {
    try (Reranker r = overlap()) {
      Map<String, Object> m1 = new HashMap<>();
      m1.put("source", "wiki");
      m1.put("missing", null);
      RankedResults res =
          r.rank("cat", List.of("dog", "cat"), List.of("d-1", "d-2"), Arrays.asList(m1, null));
      assertThat(res.get(0).id()).isEqualTo("d-2");
      assertThat(res.get(0).metadata()).isEmpty();
      assertThat(res.get(1).metadata()).containsEntry("source", "wiki").containsEntry("missing", null);

      RankedResults longs = r.rankDocuments("cat", List.of(Document.of(10L, "cat"), Document.of(20L, "dog")));
      assertThat(longs.get(0).id()).isEqualTo(10L).isInstanceOf(Long.class);
    }
  }

  @Test
  void empty_list_gives_empty_results_and_empty_strings_are_ranked() {
    try (Reranker r = overlap()) {
      assertThat(r.rank("q", List.of()).size()).isZero();
      RankedResults res = r.rank("q", List.of("", "q"));
      assertThat(res.size()).isEqualTo(2);
      assertThat(res.get(1).text()).isEmpty();
    }
  }

  @Test
  void score_is_the_pair_score() {
    try (Reranker r = overlap()) {
      assertThat(r.score("red apple", "an apple is red")).isCloseTo(2.0, within(0.0));
    }
  }

  @Test
  void bad_input_gets_argument_exceptions_naming_the_argument() {
    try (Reranker r = overlap()) {
      assertThatThrownBy(() -> r.rank(null, List.of("a"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
      assertThatThrownBy(() -> r.rank("q", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs");
      assertThatThrownBy(() -> r.rankDocuments("q", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs");
      assertThatThrownBy(() -> r.rank("q", Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs[1]");
      assertThatThrownBy(() -> r.rankDocuments("q", Arrays.asList(Document.of("a"), null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs[1]");
      assertThatThrownBy(() -> r.rank("q", List.of("a", "b"), List.of(1), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids has 1");
      assertThatThrownBy(() -> r.rank("q", List.of("a", "b"), null, List.of(Map.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata has 1");
      assertThatThrownBy(() -> r.rank("q", List.of("a", "b"), List.of(1, 1), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate id 1");
      assertThatThrownBy(() -> r.rank("q", List.of("a", "b"), List.of(1, 1L), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate id");
      assertThatThrownBy(() -> r.rank("q", List.of("a"), List.of(1.5), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids[0]");
      assertThatThrownBy(() -> r.rank("q", List.of("a"), Arrays.asList((Object) null), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids[0]");
      assertThatThrownBy(() -> r.rankDocuments("q", List.of(Document.of("a"), Document.of("x", "b")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 of 2 documents have an id");
      assertThatThrownBy(() -> r.rankDocuments("q", List.of(Document.of(Document.Image.fromBytes(new byte[] {1}))))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ranks text only");
      assertThatThrownBy(() -> r.score("q", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("doc");
      RankedResults res = r.rank("q", List.of("a"));
      assertThatThrownBy(() -> res.topK(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be >= 1");
      assertThatThrownBy(() -> res.topK(-3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k");
      assertThatThrownBy(() -> r.rankAsync(null, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
    }
  }

  @Test
  void rankers_that_only_order_have_no_scores() {
    try (Reranker r = Reranker.load("test-order:any")) {
      RankedResults res = r.rank("q", List.of("a", "b", "c"));
      assertThat(res.hasScores()).isFalse();
      assertThat(res.stream().map(Result::id)).containsExactly(2, 1, 0);
      assertThat(res.get(0).score()).isNull();
      assertThat(res.scoreOf(2)).isEmpty();
      assertThat(res.topK(2)).extracting(Result::rank).containsExactly(1, 2);
      assertThatThrownBy(() -> r.score("q", "a")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void async_keeps_metadata_and_uses_the_given_executor() throws Exception {
    var pool = Executors.newFixedThreadPool(2);
    try (Reranker r = overlap()) {
      List<Document> docs = List.of(Document.of("a", "x y", Map.of("k", 1)), Document.of("b", "y", Map.of("k", 2)));
      RankedResults viaPool = r.rankAsync("y x", docs, pool).get(5, TimeUnit.SECONDS);
      RankedResults viaDefault = r.rankAsync("y x", docs).get(5, TimeUnit.SECONDS);
      assertThat(viaPool.get(0).metadata()).containsEntry("k", 1);
      assertThat(viaDefault.results()).isEqualTo(viaPool.results());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void async_failures_complete_the_future_exceptionally() {
    try (Reranker r = Reranker.load("test-failing:x")) {
      CompletableFuture<RankedResults> f = r.rankAsync("q", Document.texts(List.of("a")));
      assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ApiException.class);
    }
  }

  @Test
  void close_is_idempotent_and_later_calls_fail() {
    int before = TestProvider.CLOSED.get();
    Reranker r = overlap();
    r.close();
    r.close();
    assertThat(TestProvider.CLOSED.get()).isEqualTo(before + 1);
    assertThatThrownBy(() -> r.rank("q", List.of("a"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void concurrent_calls_equal_sequential_results() throws Exception {
    try (Reranker r = overlap()) {
      List<String> docs = List.of("a b c", "b c", "c", "a a a", "d");
      RankedResults expected = r.rank("a b", docs);
      var pool = Executors.newFixedThreadPool(8);
      try {
        List<CompletableFuture<RankedResults>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          futures.add(CompletableFuture.supplyAsync(() -> r.rank("a b", docs), pool));
        }
        for (CompletableFuture<RankedResults> f : futures) {
          assertThat(f.get(10, TimeUnit.SECONDS).results()).isEqualTo(expected.results());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void info_describes_what_was_loaded() {
    try (Reranker r = Reranker.load("test-overlap:my-model?bonus=2")) {
      assertThat(r.info().type()).isEqualTo("test-overlap");
      assertThat(r.info().model()).isEqualTo("my-model");
      assertThat(r.info().backend()).isEqualTo("test");
      assertThat(r.rank("x", List.of("y")).get(0).score()).isEqualTo(2.0);
    }
  }
}
