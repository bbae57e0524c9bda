package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankAllTest {
  @Test
  void each_request_gets_what_rank_documents_gives_it() {
    try (Reranker r = Reranker.load("test-overlap:m")) {
      RankRequest a = RankRequest.ofTexts("red apple", List.of("green pear", "red apple pie", "apple"));
      RankRequest empty = RankRequest.ofTexts("nothing", List.of());
      RankRequest b = new RankRequest("pear", List.of(Document.of("k1", "a pear", null), Document.of("k2", "no", null)));
      List<RankedResults> all = r.rankAll(List.of(a, empty, b));
      assertThat(all).hasSize(3);
      assertThat(all.get(0).results()).extracting(Result::text)
          .containsExactlyElementsOf(r.rankDocuments(a.query(), a.documents()).results().stream().map(Result::text).toList());
      assertThat(all.get(0).results()).extracting(Result::score).containsExactly(2.0, 1.0, 0.0);
      assertThat(all.get(1).results()).isEmpty();
      assertThat(all.get(2).results()).extracting(x -> x.document().id()).containsExactly("k1", "k2");
    }
  }

  @Test
  void a_bad_request_is_named_by_position() {
    try (Reranker r = Reranker.load("test-overlap:m")) {
      RankRequest ok = RankRequest.ofTexts("q", List.of("a"));
      RankRequest dup = new RankRequest("q", List.of(Document.of("x", "a", null), Document.of("x", "b", null)));
      assertThatThrownBy(() -> r.rankAll(List.of(ok, dup)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("requests[1]: ids: duplicate id x");
    }
  }

  @Test
  void a_ranker_says_whether_rank_all_shares_batches_between_queries() {
    // test-overlap's scorer is a plain Scorer: rankAll loops, nothing to coalesce
    try (Reranker r = Reranker.load("test-overlap:m")) {
      assertThat(r.sharesBatchesAcrossQueries()).isFalse();
    }
    try (Reranker f = Reranker.withFallback(Reranker.load("test-overlap:a"), Reranker.load("test-overlap:b"))) {
      assertThat(f.sharesBatchesAcrossQueries()).isFalse();
    }
  }
}
