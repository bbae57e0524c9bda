package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Lucene BM25 first stage, checked against BM25 computed by hand. */
class Bm25IndexTest {

  private static final List<CorpusDoc> DOCS = List.of(
      new CorpusDoc("a", "", "the cat sat on the mat"),
      new CorpusDoc("b", "", "dogs running in the park"),
      new CorpusDoc("c", "Cats", "a cat and another cat"));

  @Test
  void scores_match_bm25_computed_by_hand() {
    try (Bm25Index index = Bm25Index.build(DOCS)) {
      List<Bm25Index.Hit> hits = index.search("cat", 10);
      assertThat(hits).extracting(Bm25Index.Hit::id).containsExactly("c", "a");
      // After the English analyzer (stop words out, Porter stems): a = [cat, sat, mat] (3 terms),
      // b = [dog, run, park] (3), c = [cat, cat, anoth, cat] (4: title "Cats" + text). avgdl = 10/3.
      // Lucene's BM25: idf = ln(1 + (N - n + 0.5) / (n + 0.5)), tf part = f / (f + k1 (1 - b + b dl/avgdl)).
      double k1 = 0.9;
      double b = 0.4;
      double avgdl = 10.0 / 3;
      double idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
      double a = idf * 1 / (1 + k1 * (1 - b + b * 3 / avgdl));
      double c = idf * 3 / (3 + k1 * (1 - b + b * 4 / avgdl));
      // tolerance: Lucene scores in float
      assertThat(hits.get(0).score()).isCloseTo(c, within(1e-6));
      assertThat(hits.get(1).score()).isCloseTo(a, within(1e-6));
    }
  }

  @Test
  void query_terms_are_stemmed_weighted_by_count_and_stop_words_match_nothing() {
    try (Bm25Index index = Bm25Index.build(DOCS)) {
      assertThat(index.size()).isEqualTo(3);
      assertThat(index.search("runs", 10)).extracting(Bm25Index.Hit::id).containsExactly("b");
      assertThat(index.search("the and a", 10)).isEmpty();
      double once = index.search("park", 10).get(0).score();
      double twice = index.search("park park", 10).get(0).score();
      assertThat(twice).isCloseTo(2 * once, within(1e-6));
      assertThat(index.search("cat dog", 1)).hasSize(1);
    }
  }
}
