package dev.rerankers.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. Every expected value is written as the arithmetic it comes from; the
 * tolerance is 1e-12 (the values are exact up to floating-point rounding).
 */
class MetricsTest {
  private static final Offset<Double> EPS = within(1e-12);

  private static double lg(int x) {
    return Math.log(x) / Math.log(2);
  }

  // ranking a b c d e; relevant: b (rank 2), d (rank 4), f (never retrieved)
  private static final List<String> RUN = List.of("a", "b", "c", "d", "e");
  private static final Map<String, Integer> BINARY = Map.of("b", 1, "d", 1, "f", 1);

  @Test
  void ndcg_binary_judgments_with_an_unretrieved_relevant_document() {
    double dcg5 = 1 / lg(3) + 1 / lg(5);
    double idcg5 = 1 + 1 / lg(3) + 1 / lg(4);
    assertThat(Metrics.ndcg(RUN, BINARY, 5)).isCloseTo(dcg5 / idcg5, EPS).isCloseTo(0.49818925746641285, EPS);
    // cut at 2: only b counts; the ideal holds two relevant documents
    assertThat(Metrics.ndcg(RUN, BINARY, 2)).isCloseTo((1 / lg(3)) / (1 + 1 / lg(3)), EPS);
    // cut at 1: nothing relevant at rank 1
    assertThat(Metrics.ndcg(RUN, BINARY, 1)).isEqualTo(0.0);
    // k beyond the ranking: DCG stops at the ranking's end, IDCG uses all three relevant documents
    assertThat(Metrics.ndcg(RUN, BINARY, 100)).isCloseTo(dcg5 / idcg5, EPS);
  }

  @Test
  void reciprocal_rank_average_precision_and_recall_binary() {
    assertThat(Metrics.reciprocalRank(RUN, BINARY, 10)).isCloseTo(0.5, EPS);
    assertThat(Metrics.reciprocalRank(RUN, BINARY, 1)).isEqualTo(0.0);
    // precision at b = 1/2, at d = 2/4; divided by 3 relevant judged (f counts though unretrieved)
    assertThat(Metrics.averagePrecision(RUN, BINARY)).isCloseTo((1.0 / 2 + 2.0 / 4) / 3, EPS);
    assertThat(Metrics.recall(RUN, BINARY, 2)).isCloseTo(1.0 / 3, EPS);
    assertThat(Metrics.recall(RUN, BINARY, 5)).isCloseTo(2.0 / 3, EPS);
    assertThat(Metrics.recall(RUN, BINARY, 1000)).isCloseTo(2.0 / 3, EPS);
  }

  @Test
  void graded_relevance_uses_the_grade_as_linear_gain() {
    List<String> run = List.of("a", "b", "c");
    Map<String, Integer> graded = Map.of("a", 1, "b", 2, "c", 0, "d", 3);
    double dcg = 1 / lg(2) + 2 / lg(3); // c is judged 0: no gain
    double idcg = 3 / lg(2) + 2 / lg(3) + 1 / lg(4); // ideal order d(3), b(2), a(1)
    assertThat(Metrics.ndcg(run, graded, 3)).isCloseTo(dcg / idcg, EPS).isCloseTo(0.4749950106150897, EPS);
    // grades >= 1 are relevant for MRR, MAP and recall regardless of the grade
    assertThat(Metrics.reciprocalRank(run, graded, 3)).isEqualTo(1.0);
    assertThat(Metrics.averagePrecision(run, graded)).isCloseTo((1.0 / 1 + 2.0 / 2) / 3, EPS);
    assertThat(Metrics.recall(run, graded, 3)).isCloseTo(2.0 / 3, EPS);
    assertThat(Metrics.countRelevant(graded)).isEqualTo(3);
  }

  @Test
  void negative_grades_are_non_relevant_and_never_in_the_ideal() {
    List<String> run = List.of("x", "a");
    Map<String, Integer> qrels = Map.of("x", -1, "a", 1);
    assertThat(Metrics.ndcg(run, qrels, 10)).isCloseTo((1 / lg(3)) / 1.0, EPS);
    assertThat(Metrics.recall(run, qrels, 10)).isEqualTo(1.0);
  }

  @Test
  void missing_judgments_count_as_not_relevant() {
    List<String> unjudged = List.of("x", "y", "z");
    Map<String, Integer> qrels = Map.of("a", 1);
    assertThat(Metrics.ndcg(unjudged, qrels, 10)).isEqualTo(0.0);
    assertThat(Metrics.reciprocalRank(unjudged, qrels, 10)).isEqualTo(0.0);
    assertThat(Metrics.averagePrecision(unjudged, qrels)).isEqualTo(0.0);
    assertThat(Metrics.recall(unjudged, qrels, 10)).isEqualTo(0.0);
    // an unjudged document between two relevant ones lowers nDCG exactly as a judged 0 does
    Map<String, Integer> two = Map.of("a", 1, "b", 1);
    Map<String, Integer> twoWithZero = Map.of("a", 1, "b", 1, "u", 0);
    List<String> run = List.of("a", "u", "b");
    assertThat(Metrics.ndcg(run, two, 3)).isCloseTo(Metrics.ndcg(run, twoWithZero, 3), EPS)
        .isCloseTo((1 + 1 / lg(4)) / (1 + 1 / lg(3)), EPS);
  }

  @Test
  void a_query_without_relevant_judgments_scores_zero_everywhere() {
    List<String> run = List.of("a", "b");
    for (Map<String, Integer> none : List.of(Map.<String, Integer>of(), Map.of("a", 0, "b", -2))) {
      assertThat(Metrics.ndcg(run, none, 10)).isEqualTo(0.0);
      assertThat(Metrics.reciprocalRank(run, none, 10)).isEqualTo(0.0);
      assertThat(Metrics.averagePrecision(run, none)).isEqualTo(0.0);
      assertThat(Metrics.recall(run, none, 10)).isEqualTo(0.0);
    }
    assertThat(Metrics.ndcg(List.of(), Map.of("a", 1), 10)).isEqualTo(0.0);
  }

  @Test
  void ties_are_broken_by_decreasing_document_id_as_trec_eval_does() {
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("d1", 1.0);
    scores.put("d2", 2.0);
    scores.put("d3", 1.0);
    scores.put("d0", 1.0);
    List<String> order = Metrics.trecOrder(scores);
    assertThat(order).containsExactly("d2", "d3", "d1", "d0");
    // the tie decides the metric: d1 lands at rank 3, not 2 as input order would put it
    Map<String, Integer> qrels = Map.of("d1", 1);
    assertThat(Metrics.ndcg(order, qrels, 10)).isCloseTo(1 / lg(4), EPS);
    assertThat(Metrics.reciprocalRank(order, qrels, 10)).isCloseTo(1.0 / 3, EPS);
    assertThat(Metrics.reciprocalRank(order, qrels, 2)).isEqualTo(0.0);
  }

  @Test
  void mean_over_queries() {
    assertThat(Metrics.mean(List.of(1.0, 0.5, 0.0))).isCloseTo(0.5, EPS);
    assertThat(Metrics.mean(List.of())).isEqualTo(0.0);
  }

  @Test
  void bad_arguments_are_named() {
    assertThatThrownBy(() -> Metrics.ndcg(List.of("a"), Map.of(), 0)).hasMessageContaining("k must be >= 1");
    assertThatThrownBy(() -> Metrics.recall(List.of("a", "a"), Map.of(), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats document 'a'");
    assertThatThrownBy(() -> Metrics.averagePrecision(null, Map.of())).hasMessageContaining("ranking is null");
    assertThatThrownBy(() -> Metrics.reciprocalRank(List.of("a"), null, 1)).hasMessageContaining("qrels is null");
    assertThatThrownBy(() -> Metrics.trecOrder(Map.of("a", Double.NaN))).hasMessageContaining("'a' has no score");
  }
}
