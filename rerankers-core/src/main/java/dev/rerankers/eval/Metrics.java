package dev.rerankers.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranking-quality metrics for one query, defined as {@code trec_eval} (10.0, the version {@code
 * pytrec_eval} and BEIR use) defines them, so numbers computed here can be compared with published
 * ones.
 *
 * <p>Inputs are a ranking (document ids, best first) and the query's judgments ({@code qrels}: id to
 * graded relevance). The conventions, all from {@code trec_eval}:
 *
 * <ul>
 *   <li>a document without a judgment counts as not relevant (relevance 0);
 *   <li>a document is <em>relevant</em> when its relevance is at least 1; grades 0 and below are
 *       judged non-relevant;
 *   <li>nDCG uses the relevance grade itself as the gain (linear gains, not {@code 2^rel - 1}) and
 *       {@code log2(rank + 1)} as the discount; the ideal ranking is built from every positive
 *       judgment, retrieved or not;
 *   <li>a query with no relevant judgment scores 0 on every metric;
 *   <li>{@code trec_eval} ignores submitted ranks and orders documents by score, breaking ties by
 *       document id in <em>decreasing</em> order: {@link #trecOrder(Map)} reproduces that order for
 *       scored runs.
 * </ul>
 *
 * <p>{@code trec_eval} has no cut-off for reciprocal rank; {@link #reciprocalRank(List, Map, int)}
 * is its {@code recip_rank} on the first {@code k} documents (what {@code trec_eval -M k} and BEIR's
 * MRR@k compute). Average precision is uncut ({@code map}: precision at each relevant document
 * retrieved, summed and divided by the number of relevant documents judged).
 *
 * <p>Stateless and thread-safe. Rankings must not contain {@code null} or repeated ids.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * Normalised discounted cumulative gain at {@code k} ({@code trec_eval}'s {@code ndcg_cut.k}):
   * {@code DCG@k / IDCG@k} with {@code DCG@k = sum over ranks r <= k of rel(r) / log2(r + 1)},
   * counting only positive grades.
   *
   * @param ranking document ids, best first
   * @param qrels the query's judgments, id to grade
   * @param k the cut-off, at least 1
   */
  public static double ndcg(List<String> ranking, Map<String, Integer> qrels, int k) {
    check(ranking, qrels, k);
    double dcg = 0;
    int n = Math.min(k, ranking.size());
    for (int i = 0; i < n; i++) {
      int grade = grade(qrels, ranking.get(i));
      if (grade > 0) {
        dcg += grade / log2(i + 2);
      }
    }
    List<Integer> ideal = new ArrayList<>();
    for (Integer g : qrels.values()) {
      if (g != null && g > 0) {
        ideal.add(g);
      }
    }
    ideal.sort(Comparator.reverseOrder());
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg > 0 ? dcg / idcg : 0.0;
  }

  /**
   * Reciprocal rank of the first relevant document within the first {@code k} ({@code
   * recip_rank} on a ranking cut at {@code k}); 0 when none of them is relevant. The mean over
   * queries is MRR@k.
   */
  public static double reciprocalRank(List<String> ranking, Map<String, Integer> qrels, int k) {
    check(ranking, qrels, k);
    int n = Math.min(k, ranking.size());
    for (int i = 0; i < n; i++) {
      if (grade(qrels, ranking.get(i)) >= 1) {
        return 1.0 / (i + 1);
      }
    }
    return 0.0;
  }

  /**
   * Average precision over the whole ranking ({@code trec_eval}'s {@code map} for one query): the
   * precision at the rank of each relevant document retrieved, summed, divided by the number of
   * relevant documents judged (retrieved or not).
   */
  public static double averagePrecision(List<String> ranking, Map<String, Integer> qrels) {
    check(ranking, qrels, 1);
    int relevant = countRelevant(qrels);
    if (relevant == 0) {
      return 0.0;
    }
    int found = 0;
    double sum = 0;
    for (int i = 0; i < ranking.size(); i++) {
      if (grade(qrels, ranking.get(i)) >= 1) {
        found++;
        sum += (double) found / (i + 1);
      }
    }
    return sum / relevant;
  }

  /**
   * Recall at {@code k} ({@code trec_eval}'s {@code recall.k}): relevant documents among the first
   * {@code k}, divided by the number of relevant documents judged.
   */
  public static double recall(List<String> ranking, Map<String, Integer> qrels, int k) {
    check(ranking, qrels, k);
    int relevant = countRelevant(qrels);
    if (relevant == 0) {
      return 0.0;
    }
    int found = 0;
    int n = Math.min(k, ranking.size());
    for (int i = 0; i < n; i++) {
      if (grade(qrels, ranking.get(i)) >= 1) {
        found++;
      }
    }
    return (double) found / relevant;
  }

  /**
   * The order {@code trec_eval} evaluates a scored run in: by descending score, ties broken by
   * document id in decreasing lexicographic order (as {@code strcmp} compares ASCII ids).
   *
   * @param scores document id to score; scores must not be {@code NaN}
   * @return the ids, best first
   */
  public static List<String> trecOrder(Map<String, Double> scores) {
    if (scores == null) {
      throw new IllegalArgumentException("scores is null");
    }
    List<Map.Entry<String, Double>> entries = new ArrayList<>(scores.size());
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("scores has a null document id");
      }
      if (e.getValue() == null || e.getValue().isNaN()) {
        throw new IllegalArgumentException("document '" + e.getKey() + "' has no score (" + e.getValue() + ")");
      }
      entries.add(e);
    }
    entries.sort(
        Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue())
            .reversed()
            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
    List<String> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, Double> e : entries) {
      out.add(e.getKey());
    }
    return out;
  }

  /** The mean of per-query values (0 for none), as {@code trec_eval}'s {@code all} line reports. */
  public static double mean(Collection<Double> perQuery) {
    if (perQuery == null) {
      throw new IllegalArgumentException("perQuery is null");
    }
    if (perQuery.isEmpty()) {
      return 0.0;
    }
    double sum = 0;
    for (Double v : perQuery) {
      if (v == null) {
        throw new IllegalArgumentException("perQuery has a null value");
      }
      sum += v;
    }
    return sum / perQuery.size();
  }

  /** The number of judged documents with relevance at least 1. */
  public static int countRelevant(Map<String, Integer> qrels) {
    if (qrels == null) {
      throw new IllegalArgumentException("qrels is null");
    }
    int n = 0;
    for (Integer g : qrels.values()) {
      if (g != null && g >= 1) {
        n++;
      }
    }
    return n;
  }

  private static int grade(Map<String, Integer> qrels, String id) {
    Integer g = qrels.get(id);
    return g == null ? 0 : g;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  private static void check(List<String> ranking, Map<String, Integer> qrels, int k) {
    if (ranking == null) {
      throw new IllegalArgumentException("ranking is null");
    }
    if (qrels == null) {
      throw new IllegalArgumentException("qrels is null");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    Set<String> seen = new HashSet<>(ranking.size() * 2);
    for (int i = 0; i < ranking.size(); i++) {
      String id = ranking.get(i);
      if (id == null) {
        throw new IllegalArgumentException("ranking[" + i + "] is null");
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException("ranking repeats document '" + id + "' (at position " + i + ")");
      }
    }
  }
}
