package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.spark.testing.TestRankers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure semantics on a real local[2] session with the test rankers: every input row comes out
 * exactly once; a row that cannot be scored fails the job naming it, or (onError=null) gets a null
 * score and the reason; the other rows of its query and chunk keep their scores; a retried task
 * gives identical output; queries of a partition share model calls.
 */
class ErrorPolicyTest {
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("query_id", DataTypes.StringType, true),
      DataTypes.createStructField("query", DataTypes.StringType, true),
      DataTypes.createStructField("doc_id", DataTypes.StringType, true),
      DataTypes.createStructField("text", DataTypes.StringType, true),
      DataTypes.createStructField("source", DataTypes.StringType, true)));

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTests.spark();
  }

  /** 40 queries x 6 documents; document dN holds the first N of the query's six words. */
  static List<Row> cleanRows() {
    List<Row> rows = new ArrayList<>();
    for (int q = 0; q < 40; q++) {
      String query = "vitamin b12 homocysteine level x query" + q;
      for (int d = 0; d < 6; d++) {
        String text = String.join(" ", List.of("vitamin", "b12", "homocysteine", "level", "x").subList(0, d))
            + " filler text";
        rows.add(RowFactory.create("q" + q, query, "d" + d, text, "bm25"));
      }
    }
    return rows;
  }

  static Dataset<Row> frame(List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  static Map<String, Row> byKey(List<Row> rows) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : rows) {
      assertThat(m.put(r.getAs("query_id") + "/" + r.getAs("doc_id"), r)).as("row %s twice", r).isNull();
    }
    return m;
  }

  @Test
  void every_row_is_scored_once_with_the_in_process_score_and_ranks_per_query() {
    List<Row> input = cleanRows();
    TestRankers.MOST_QUERIES_PER_CALL.set(0);
    List<Row> out = Rerank.scores(frame(input, 3), "spark-overlap:m").collectAsList();
    assertThat(out).hasSize(input.size());
    Map<String, Row> got = byKey(out);
    for (Row in : input) {
      Row r = got.get(in.getString(0) + "/" + in.getString(2));
      assertThat(r).as("output row for %s", in).isNotNull();
      assertThat((double) r.getAs("score")).isEqualTo(TestRankers.overlap(in.getString(1), in.getString(3)));
      assertThat((String) r.getAs("source")).isEqualTo("bm25");
    }
    // d5 holds every query word but one (rank 1), d0 none (rank 6)
    assertThat((int) got.get("q7/d5").getAs("rank")).isEqualTo(1);
    assertThat((int) got.get("q7/d0").getAs("rank")).isEqualTo(6);
    assertThat(out.get(0).schema().fieldNames()).containsExactly("query_id", "query", "doc_id", "text", "source", "score", "rank");
    assertThat(TestRankers.MOST_QUERIES_PER_CALL.get()).as("queries sharing one scoreAll call").isGreaterThan(1);
  }

  @Test
  void top_k_keeps_the_best_k_of_each_query() {
    List<Row> out = Rerank.scores(frame(cleanRows(), 2), "spark-overlap:m", 2).collectAsList();
    assertThat(out).hasSize(40 * 2);
    assertThat(out).allSatisfy(r -> assertThat((int) r.getAs("rank")).isBetween(1, 2));
    assertThat(out.stream().filter(r -> r.getAs("doc_id").equals("d5"))).hasSize(40);
  }

  static List<Row> rowsWithBadOnes() {
    List<Row> rows = new ArrayList<>(cleanRows());
    rows.add(RowFactory.create("q3", "vitamin b12 homocysteine level x query3", "empty", "   ", "bm25"));
    rows.add(RowFactory.create("q3", "vitamin b12 homocysteine level x query3", "null-text", null, "bm25"));
    rows.add(RowFactory.create("q4", "vitamin b12 homocysteine level x query4", "too-long", "vitamin ".repeat(400), "bm25"));
    rows.add(RowFactory.create("q5", "vitamin b12 homocysteine level x query5", "poison", "vitamin POISON", "bm25"));
    rows.add(RowFactory.create("q6", "another query", "other-query", "vitamin", "bm25"));
    rows.add(RowFactory.create(null, "vitamin", "no-query-id", "vitamin", "bm25"));
    rows.add(RowFactory.create("q99", "", "empty-query", "vitamin", "bm25"));
    return rows;
  }

  @Test
  void on_error_null_keeps_bad_rows_with_a_null_score_and_the_reason() {
    List<Row> input = rowsWithBadOnes();
    RerankOptions o = RerankOptions.builder("spark-overlap:m").onError(OnError.NULL).build();
    List<Row> out = Rerank.scores(frame(input, 3), o).collectAsList();
    assertThat(out).hasSize(input.size());
    Map<String, Row> got = byKey(out);
    Map<String, String> expectedErrors = Map.of(
        "q3/empty", "text is empty",
        "q3/null-text", "text is empty",
        "q4/too-long", "over this test model's 2000, and it does not truncate",
        "q5/poison", "cannot score a poisoned text",
        "q6/other-query", "query text differs from the first row of query id q6",
        "null/no-query-id", "query id is null",
        "q99/empty-query", "query is empty");
    expectedErrors.forEach((key, reason) -> {
      Row r = got.get(key);
      assertThat(r).as(key).isNotNull();
      assertThat((Object) r.getAs("score")).as(key).isNull();
      assertThat((Object) r.getAs("rank")).as(key).isNull();
      assertThat((String) r.getAs("error")).as(key).contains(reason);
    });
    // every other row of those queries (and their chunks) is scored as without the bad rows
    for (Row in : cleanRows()) {
      Row r = got.get(in.getString(0) + "/" + in.getString(2));
      assertThat((Object) r.getAs("error")).isNull();
      assertThat((double) r.getAs("score")).isEqualTo(TestRankers.overlap(in.getString(1), in.getString(3)));
    }
    // ranks of a query with a failed row still run 1..6 over its scored rows
    List<Integer> q5 = out.stream().filter(r -> "q5".equals(r.getAs("query_id")) && r.getAs("rank") != null)
        .map(r -> (Integer) r.getAs("rank")).sorted().toList();
    assertThat(q5).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void on_error_null_with_top_k_still_returns_the_failed_rows() {
    RerankOptions o = RerankOptions.builder("spark-overlap:m").onError(OnError.NULL).topK(1).build();
    List<Row> out = Rerank.scores(frame(rowsWithBadOnes(), 2), o).collectAsList();
    assertThat(out.stream().filter(r -> r.getAs("error") != null)).hasSize(7);
    assertThat(out.stream().filter(r -> r.getAs("error") == null)).hasSize(40);
  }

  @Test
  void on_error_fail_names_the_row_that_cannot_be_scored() {
    List<Row> input = new ArrayList<>(cleanRows());
    input.add(RowFactory.create("q5", "vitamin b12 homocysteine level x query5", "poison", "vitamin POISON", "bm25"));
    assertThatThrownBy(() -> Rerank.scores(frame(input, 2), "spark-overlap:m").collectAsList())
        .hasMessageContaining("cannot score the row with query_id=q5, doc_id=poison")
        .hasMessageContaining("cannot score a poisoned text")
        .hasMessageContaining("onError=null");
    List<Row> empty = new ArrayList<>(cleanRows());
    empty.add(RowFactory.create("q8", "vitamin b12 homocysteine level x query8", "blank", "", "bm25"));
    assertThatThrownBy(() -> Rerank.scores(frame(empty, 2), "spark-overlap:m").collectAsList())
        .hasMessageContaining("query_id=q8, doc_id=blank: text is empty");
  }

  @Test
  void a_missing_image_file_is_a_row_error() {
    StructType schema = SCHEMA.add("image", DataTypes.StringType, true);
    List<Row> rows = List.of(
        RowFactory.create("q1", "vitamin", "img", null, "s", "/nonexistent/scan-17.png"),
        RowFactory.create("q1", "vitamin", "txt", "vitamin", "s", null));
    RerankOptions o = RerankOptions.builder("spark-overlap:m").imageCol("image").onError(OnError.NULL).build();
    Map<String, Row> got = byKey(Rerank.scores(spark.createDataFrame(rows, schema), o).collectAsList());
    assertThat((String) got.get("q1/img").getAs("error")).isEqualTo("image file not found or not readable: /nonexistent/scan-17.png");
    assertThat((double) got.get("q1/txt").getAs("score")).isEqualTo(1.0);
  }

  @Test
  void a_task_retried_after_an_executor_failure_gives_identical_output() {
    List<Row> input = cleanRows();
    Comparator<Row> order = Comparator.comparing((Row r) -> r.<String>getAs("query_id")).thenComparing(r -> r.<String>getAs("doc_id"));
    List<Row> clean = new ArrayList<>(Rerank.scores(frame(input, 3), "spark-overlap:m").collectAsList());
    TestRankers.INJECTED.set(0);
    List<Row> retried = new ArrayList<>(Rerank.scores(frame(input, 3), "spark-flaky:m").collectAsList());
    assertThat(TestRankers.INJECTED.get()).as("injected failures (first attempts)").isPositive();
    clean.sort(order);
    retried.sort(order);
    assertThat(retried).hasSize(input.size());
    for (int i = 0; i < clean.size(); i++) {
      assertThat(retried.get(i).toSeq()).isEqualTo(clean.get(i).toSeq());
    }
  }

  @Test
  void bad_columns_are_refused_before_any_task_runs() {
    Dataset<Row> df = frame(cleanRows(), 1);
    assertThatThrownBy(() -> Rerank.scores(df.drop("text"), "spark-overlap:m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the input has no column 'text' (textCol)");
    assertThatThrownBy(() -> Rerank.scores(df.withColumnRenamed("source", "score"), "spark-overlap:m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has a column 'score'");
    assertThatThrownBy(() -> Rerank.scores(df.withColumn("text", df.col("text").cast("binary")), "spark-overlap:m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'text' must be a string, it is binary");
    assertThatThrownBy(() -> Rerank.scores(df, "no-such-type:model"))
        .isInstanceOf(dev.rerankers.ConfigException.class).hasMessageContaining("unknown model type 'no-such-type'");
    assertThatThrownBy(() -> Rerank.scores(df, "spark-overlap:m?batchSize=0"))
        .isInstanceOf(dev.rerankers.ConfigException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> Rerank.scores(df, "spark-overlap:m?bogus=1"))
        .isInstanceOf(dev.rerankers.ConfigException.class).hasMessageContaining("unknown option 'bogus'");
  }
}
