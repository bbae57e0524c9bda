package dev.rerankers.spark;

import dev.rerankers.spark.internal.RerankPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reranks query–document pairs on Spark with the same scores as the in-process {@link
 * dev.rerankers.Reranker}. Input rows are in long format, one pair per row: {@code query_id, query,
 * doc_id, text} (names configurable, other columns kept); the output adds {@code score} and {@code
 * rank} (1 for the best document of its query).
 *
 * <pre>{@code
 * Dataset<Row> pairs = spark.read().parquet("candidates.parquet");
 * Dataset<Row> ranked = Rerank.scores(pairs, "cross-encoder:/models/bge-reranker-base", 10);
 * ranked.write().parquet("reranked.parquet");
 * }</pre>
 *
 * <p>How it runs: rows are hashed by query id into partitions and sorted by (query id, input
 * order); each executor JVM loads the ranker once (on first use) and shares it between its task
 * threads; pointwise backends batch pairs across the queries of a partition ({@link
 * RerankOptions#batchPairs()}). Every input row comes out exactly once (except below {@code topK}),
 * and a retried task gives identical results. See {@link OnError} for rows that cannot be scored.
 *
 * <p>The result is a lazy {@code Dataset}: every action recomputes it, model included. {@code
 * persist()} it before running more than one action on it.
 */
public final class Rerank {
  private Rerank() {}

  /** Scores every row with default column names and options. */
  public static Dataset<Row> scores(Dataset<Row> pairs, String spec) {
    return scores(pairs, RerankOptions.builder(spec).build());
  }

  /** Scores every row and keeps the first {@code topK} ranks of each query (0 keeps all). */
  public static Dataset<Row> scores(Dataset<Row> pairs, String spec, int topK) {
    return scores(pairs, RerankOptions.builder(spec).topK(topK).build());
  }

  /**
   * Scores with the given options.
   *
   * @throws IllegalArgumentException for a missing or mistyped column or an output column that
   *     already exists (before any task runs)
   * @throws dev.rerankers.ConfigException for a malformed spec or a backend missing on the driver
   */
  public static Dataset<Row> scores(Dataset<Row> pairs, RerankOptions options) {
    if (pairs == null) {
      throw new IllegalArgumentException("pairs is null");
    }
    if (options == null) {
      throw new IllegalArgumentException("options is null");
    }
    return RerankPlan.score(pairs, options, false);
  }

  /**
   * The schema {@link #scores} produces for an input schema: its columns, then the score (double),
   * rank (int) and, with {@link OnError#NULL}, error (string) columns.
   *
   * @throws IllegalArgumentException as {@link #scores}
   */
  public static StructType outputSchema(StructType input, RerankOptions options) {
    return RerankPlan.outputSchema(input, options);
  }
}
