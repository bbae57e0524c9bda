package dev.rerankers.spark;

import dev.rerankers.Credentials;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link Rerank#scores(org.apache.spark.sql.Dataset, RerankOptions)} reranks: the ranker's config
 * string, the column names, the cut-off and the error policy. Immutable and serializable (it travels
 * to the executors with each task). Get one with {@link #builder(String)}.
 *
 * <pre>{@code
 * RerankOptions o = RerankOptions.builder("cross-encoder:/models/bge-reranker-base")
 *     .queryIdCol("qid").textCol("passage").topK(10).onError(OnError.NULL).build();
 * }</pre>
 *
 * @param spec the ranker, any config string {@code Reranker.load} accepts; loaded once per executor JVM
 * @param queryIdCol the column that groups rows into queries ({@code query_id})
 * @param queryCol the query text ({@code query}), the same on every row of a query
 * @param docIdCol the document id ({@code doc_id}), reported in error messages and used by metrics
 * @param textCol the document text ({@code text})
 * @param imageCol a column with image file paths for image rankers, or {@code null} (none)
 * @param scoreCol the added score column ({@code score}, double, {@code null} for an unscored row)
 * @param rankCol the added rank column ({@code rank}, int, 1 for the best document of its query)
 * @param errorCol the added error column ({@code error}), present only with {@link OnError#NULL}
 * @param topK keep only the first {@code topK} ranks of each query (rows that failed are kept too);
 *     0 keeps every row
 * @param onError what to do with a row that cannot be scored
 * @param batchPairs pairs handed to one {@code Reranker.rankAll} call: the queries of a partition
 *     are scored together up to this many pairs, so pointwise models fill their batches across queries
 * @param numPartitions partitions to group queries into; 0 for the larger of the input's partition
 *     count and Spark's default parallelism
 */
public record RerankOptions(
    String spec,
    String queryIdCol,
    String queryCol,
    String docIdCol,
    String textCol,
    String imageCol,
    String scoreCol,
    String rankCol,
    String errorCol,
    int topK,
    OnError onError,
    int batchPairs,
    int numPartitions)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The default of {@link #batchPairs()}. */
  public static final int DEFAULT_BATCH_PAIRS = 1024;

  /** Checks every value; the message names the option. */
  public RerankOptions {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("spec must be a ranker config string (e.g. 'dense' or 'cross-encoder:/models/x'), got '" + spec + "'");
    }
    checkName("queryIdCol", queryIdCol);
    checkName("queryCol", queryCol);
    checkName("docIdCol", docIdCol);
    checkName("textCol", textCol);
    if (imageCol != null) {
      checkName("imageCol", imageCol);
    }
    checkName("scoreCol", scoreCol);
    checkName("rankCol", rankCol);
    checkName("errorCol", errorCol);
    Objects.requireNonNull(onError, "onError");
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 keeps every row), got " + topK);
    }
    if (batchPairs < 1) {
      throw new IllegalArgumentException("batchPairs must be >= 1, got " + batchPairs);
    }
    if (numPartitions < 0) {
      throw new IllegalArgumentException("numPartitions must be >= 0 (0: automatic), got " + numPartitions);
    }
    Set<String> added = new HashSet<>();
    for (String c : onError == OnError.NULL ? List.of(scoreCol, rankCol, errorCol) : List.of(scoreCol, rankCol)) {
      if (!added.add(c)) {
        throw new IllegalArgumentException("scoreCol, rankCol and errorCol must differ; '" + c + "' is used twice");
      }
    }
  }

  /** Options with the default column names ({@code query_id, query, doc_id, text}), every row kept, {@code onError=fail}. */
  public static Builder builder(String spec) {
    return new Builder(spec);
  }

  /** A builder holding these options, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder(spec);
    b.queryIdCol = queryIdCol;
    b.queryCol = queryCol;
    b.docIdCol = docIdCol;
    b.textCol = textCol;
    b.imageCol = imageCol;
    b.scoreCol = scoreCol;
    b.rankCol = rankCol;
    b.errorCol = errorCol;
    b.topK = topK;
    b.onError = onError;
    b.batchPairs = batchPairs;
    b.numPartitions = numPartitions;
    return b;
  }

  /** The spec as messages show it: API keys and tokens masked. */
  public String maskedSpec() {
    return Credentials.maskConfigString(spec);
  }

  /** Whether the spec carries a secret inline (an API key or token), which must not be written to disk. */
  public boolean specHoldsSecret() {
    return !Credentials.maskConfigString(spec).equals(spec);
  }

  @Override
  public String toString() {
    return "RerankOptions[spec=" + maskedSpec() + ", queryIdCol=" + queryIdCol + ", queryCol=" + queryCol
        + ", docIdCol=" + docIdCol + ", textCol=" + textCol + ", imageCol=" + imageCol + ", scoreCol=" + scoreCol
        + ", rankCol=" + rankCol + ", errorCol=" + errorCol + ", topK=" + topK + ", onError=" + onError
        + ", batchPairs=" + batchPairs + ", numPartitions=" + numPartitions + "]";
  }

  private static void checkName(String option, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(option + " must be a column name, got '" + name + "'");
    }
  }

  /** Builds {@link RerankOptions}; each setter checks its value. Not thread-safe. */
  public static final class Builder {
    private final String spec;
    private String queryIdCol = "query_id";
    private String queryCol = "query";
    private String docIdCol = "doc_id";
    private String textCol = "text";
    private String imageCol;
    private String scoreCol = "score";
    private String rankCol = "rank";
    private String errorCol = "error";
    private int topK;
    private OnError onError = OnError.FAIL;
    private int batchPairs = DEFAULT_BATCH_PAIRS;
    private int numPartitions;

    private Builder(String spec) {
      this.spec = spec;
    }

    /** The column grouping rows into queries. Default {@code query_id}. */
    public Builder queryIdCol(String name) {
      checkName("queryIdCol", name);
      this.queryIdCol = name;
      return this;
    }

    /** The query text column. Default {@code query}. */
    public Builder queryCol(String name) {
      checkName("queryCol", name);
      this.queryCol = name;
      return this;
    }

    /** The document id column. Default {@code doc_id}. */
    public Builder docIdCol(String name) {
      checkName("docIdCol", name);
      this.docIdCol = name;
      return this;
    }

    /** The document text column. Default {@code text}. */
    public Builder textCol(String name) {
      checkName("textCol", name);
      this.textCol = name;
      return this;
    }

    /** A column of image file paths (for image rankers); {@code null} for none, the default. */
    public Builder imageCol(String name) {
      if (name != null) {
        checkName("imageCol", name);
      }
      this.imageCol = name;
      return this;
    }

    /** The added score column. Default {@code score}. */
    public Builder scoreCol(String name) {
      checkName("scoreCol", name);
      this.scoreCol = name;
      return this;
    }

    /** The added rank column. Default {@code rank}. */
    public Builder rankCol(String name) {
      checkName("rankCol", name);
      this.rankCol = name;
      return this;
    }

    /** The added error column (with {@link OnError#NULL} only). Default {@code error}. */
    public Builder errorCol(String name) {
      checkName("errorCol", name);
      this.errorCol = name;
      return this;
    }

    /** Keep the first {@code k} ranks of each query; 0 (the default) keeps every row. */
    public Builder topK(int k) {
      if (k < 0) {
        throw new IllegalArgumentException("topK must be >= 0 (0 keeps every row), got " + k);
      }
      this.topK = k;
      return this;
    }

    /** What to do with a row that cannot be scored. Default {@link OnError#FAIL}. */
    public Builder onError(OnError policy) {
      this.onError = Objects.requireNonNull(policy, "onError");
      return this;
    }

    /** Pairs per {@code rankAll} call, across the queries of a partition. Default 1024. */
    public Builder batchPairs(int pairs) {
      if (pairs < 1) {
        throw new IllegalArgumentException("batchPairs must be >= 1, got " + pairs);
      }
      this.batchPairs = pairs;
      return this;
    }

    /** Partitions to group the queries into; 0 (the default) for automatic. */
    public Builder numPartitions(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("numPartitions must be >= 0 (0: automatic), got " + n);
      }
      this.numPartitions = n;
      return this;
    }

    /** The options; cross-column rules (distinct output names) are checked here. */
    public RerankOptions build() {
      return new RerankOptions(spec, queryIdCol, queryCol, docIdCol, textCol, imageCol, scoreCol, rankCol, errorCol,
          topK, onError, batchPairs, numPartitions);
    }

    @Override
    public String toString() {
      return "RerankOptions.Builder[spec=" + Credentials.maskConfigString(spec) + "]";
    }
  }
}
