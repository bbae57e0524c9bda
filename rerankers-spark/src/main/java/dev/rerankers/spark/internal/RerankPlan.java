package dev.rerankers.spark.internal;

import dev.rerankers.Catalog;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spark.OnError;
import dev.rerankers.spark.RerankOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The plan behind {@code Rerank.scores}: number the rows (input order, for stable ties), hash them
 * by query id into partitions, sort each partition by (query id, number) so every query's rows are
 * consecutive and in input order, then score partition by partition with {@link PartitionScorer}.
 * Sorting makes a retried task see exactly the rows, order and batches of the first attempt.
 *
 * <p>Not API.
 */
public final class RerankPlan {
  /** The row number column used for input order; dropped from the output unless asked for. */
  public static final String POSITION = "__rerankers_position";

  private RerankPlan() {}

  /**
   * The output schema: the input's columns, then score (double), rank (int) and, with {@code
   * onError=null}, error (string), all nullable.
   *
   * @throws IllegalArgumentException naming a missing or mistyped column or a clash
   */
  public static StructType outputSchema(StructType input, RerankOptions o) {
    check(input, o);
    return withAdded(input, o);
  }

  /**
   * Reranks {@code pairs}; with {@code keepPosition} the output keeps {@link #POSITION}, each row's
   * number in input order (for metrics of the input order).
   */
  public static Dataset<Row> score(Dataset<Row> pairs, RerankOptions o, boolean keepPosition) {
    check(pairs.schema(), o);
    checkSpec(o.spec());
    int partitions = o.numPartitions() > 0
        ? o.numPartitions()
        : Math.max(pairs.rdd().getNumPartitions(), pairs.sparkSession().sparkContext().defaultParallelism());
    Dataset<Row> numbered = pairs.withColumn(POSITION, functions.monotonically_increasing_id());
    StructType out = withAdded(keepPosition ? numbered.schema() : pairs.schema(), o);
    return numbered
        .repartition(partitions, column(o.queryIdCol()))
        .sortWithinPartitions(column(o.queryIdCol()), column(POSITION))
        .mapPartitions(new PartitionScorer(o, numbered.schema(), keepPosition), Encoders.row(out));
  }

  /**
   * Fails on the driver, before any task, for a malformed spec, a backend missing from the class
   * path, or an unknown or malformed option: without this, every task would fail loading it.
   */
  static void checkSpec(String spec) {
    RerankerSpec resolved = Reranker.resolve(spec);
    OptionValues.parse(Catalog.options(resolved.type()), resolved.options(), "type " + resolved.type());
  }

  /** A column by its exact name (dots and spaces are not paths). */
  public static Column column(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  private static StructType withAdded(StructType input, RerankOptions o) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
    fields.add(DataTypes.createStructField(o.scoreCol(), DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField(o.rankCol(), DataTypes.IntegerType, true));
    if (o.onError() == OnError.NULL) {
      fields.add(DataTypes.createStructField(o.errorCol(), DataTypes.StringType, true));
    }
    return DataTypes.createStructType(fields);
  }

  private static void check(StructType input, RerankOptions o) {
    require(input, o.queryIdCol(), "queryIdCol");
    require(input, o.queryCol(), "queryCol");
    require(input, o.docIdCol(), "docIdCol");
    require(input, o.textCol(), "textCol");
    DataType id = input.apply(o.queryIdCol()).dataType();
    if (id instanceof MapType || id instanceof ArrayType || id instanceof BinaryType || id instanceof StructType) {
      throw new IllegalArgumentException("column '" + o.queryIdCol() + "' (the query id) must be a string or a number, it is "
          + id.simpleString());
    }
    requireString(input, o.queryCol());
    requireString(input, o.textCol());
    if (o.imageCol() != null) {
      require(input, o.imageCol(), "imageCol");
      requireString(input, o.imageCol());
    }
    List<String> added = new ArrayList<>(List.of(o.scoreCol(), o.rankCol()));
    if (o.onError() == OnError.NULL) {
      added.add(o.errorCol());
    }
    added.add(POSITION);
    List<String> names = Arrays.asList(input.fieldNames());
    for (String a : added) {
      if (names.contains(a)) {
        throw new IllegalArgumentException("the input already has a column '" + a + "'; "
            + (a.equals(POSITION) ? "rename it" : "name the output column otherwise (scoreCol, rankCol, errorCol)"));
      }
    }
  }

  private static void require(StructType input, String name, String option) {
    if (!Arrays.asList(input.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("the input has no column '" + name + "' (" + option + "); its columns are "
          + String.join(", ", input.fieldNames()));
    }
  }

  private static void requireString(StructType input, String name) {
    DataType t = input.apply(name).dataType();
    if (!t.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("column '" + name + "' must be a string, it is " + t.simpleString());
    }
  }
}
