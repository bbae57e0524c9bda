package dev.rerankers.cli.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of an evaluation report: a reranker (or the first stage) with its quality, latency,
 * throughput and cost. Quality fields are {@code null} when the run failed ({@link #error()}).
 *
 * @param spec the reranker spec as given (secrets masked), or {@code first-stage}
 * @param ranker what answered ({@code type:model}), empty for the first stage
 * @param ndcg mean nDCG@k
 * @param mrr mean MRR@k
 * @param map mean average precision
 * @param recall mean Recall@depth
 * @param latency per-query latencies
 * @param docsPerSecond documents ranked per second of ranking time, {@code null} when nothing was
 *     ranked (the judged and all first stages)
 * @param queries the number of queries evaluated
 * @param loadSeconds the time to load the ranker (0 for the first stage)
 * @param usagePerQuery the provider's mean usage per query, by unit (empty for local rankers)
 * @param costPer1000Queries the cost of 1,000 queries at the given price, or {@code null}
 * @param price the price the cost was computed with, or {@code null}
 * @param error why the run failed, or {@code null}
 * @param rankings each query's final ranking (document ids, best first), for run files
 */
public record ReportRow(
    String spec,
    String ranker,
    Double ndcg,
    Double mrr,
    Double map,
    Double recall,
    LatencyStats latency,
    Double docsPerSecond,
    int queries,
    double loadSeconds,
    Map<String, Double> usagePerQuery,
    Double costPer1000Queries,
    Price price,
    String error,
    Map<String, List<RankedDoc>> rankings) {

  /** The spec of the first stage's row. */
  public static final String FIRST_STAGE = "first-stage";

  public ReportRow {
    Objects.requireNonNull(spec, "spec");
    ranker = ranker == null ? "" : ranker;
    Objects.requireNonNull(latency, "latency");
    usagePerQuery = Collections.unmodifiableMap(new LinkedHashMap<>(usagePerQuery));
    rankings = Collections.unmodifiableMap(new LinkedHashMap<>(rankings));
  }

  /** A row for a reranker that failed to load or to rank. */
  public static ReportRow failed(String spec, String error) {
    return new ReportRow(
        spec, "", null, null, null, null, LatencyStats.ofNanos(new long[0]), null, 0, 0, Map.of(), null, null,
        error, Map.of());
  }

  /** Whether the run failed. */
  public boolean failed() {
    return error != null;
  }

  /** A ranked document in a run: its id and score ({@code null} for rankers that only order). */
  public record RankedDoc(String id, Double score) {}
}
