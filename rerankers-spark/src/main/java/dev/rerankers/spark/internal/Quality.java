package dev.rerankers.spark.internal;

import dev.rerankers.eval.Metrics;
import dev.rerankers.spark.RerankOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * nDCG@10, MRR@10 and MAP of the input order and the reranked order, computed per query on the
 * executors with core's {@link Metrics} and averaged over the judged queries, as {@code rerankers
 * eval} does: a scored ranking is evaluated in {@code trec_eval} order ({@link Metrics#trecOrder}),
 * one ranked without scores in rank order; rows that failed come last, in input order. Not API.
 *
 * @param queries input queries with at least one judgment (the others are not averaged)
 * @param unjudged input queries without any judgment
 */
public record Quality(int queries, int unjudged, double inputNdcg, double inputMrr, double inputMap,
    double ndcg, double mrr, double map) implements Serializable {

  private static final long serialVersionUID = 1L;
  /** The cut-off of nDCG and MRR. */
  public static final int K = 10;

  /**
   * Evaluates a scored dataset that kept {@link RerankPlan#POSITION}.
   *
   * @param qrels query id to (document id to grade)
   */
  public static Quality of(Dataset<Row> scored, RerankOptions o, Map<String, Map<String, Integer>> qrels) {
    Broadcast<Map<String, Map<String, Integer>>> judged =
        JavaSparkContext.fromSparkContext(scored.sparkSession().sparkContext()).broadcast(new HashMap<>(qrels));
    StructType perQuery = DataTypes.createStructType(List.of(
        DataTypes.createStructField("query_id", DataTypes.StringType, false),
        DataTypes.createStructField("judged", DataTypes.BooleanType, false),
        DataTypes.createStructField("in_ndcg", DataTypes.DoubleType, false),
        DataTypes.createStructField("in_mrr", DataTypes.DoubleType, false),
        DataTypes.createStructField("in_map", DataTypes.DoubleType, false),
        DataTypes.createStructField("ndcg", DataTypes.DoubleType, false),
        DataTypes.createStructField("mrr", DataTypes.DoubleType, false),
        DataTypes.createStructField("map", DataTypes.DoubleType, false)));
    Dataset<Row> slim = scored.select(
        RerankPlan.column(o.queryIdCol()).cast("string"),
        RerankPlan.column(o.docIdCol()).cast("string"),
        RerankPlan.column(RerankPlan.POSITION),
        RerankPlan.column(o.scoreCol()),
        RerankPlan.column(o.rankCol()));
    List<Row> rows = slim
        .filter(RerankPlan.column(o.queryIdCol()).isNotNull())
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .mapGroups((MapGroupsFunction<String, Row, Row>) (qid, it) -> evaluate(qid, judged.value().get(qid), it),
            Encoders.row(perQuery))
        .collectAsList();
    // averaged in query-id order, so the last bits do not depend on the partitioning
    rows = new ArrayList<>(rows);
    rows.sort(Comparator.comparing((Row r) -> r.getString(0)));
    List<Double> inNdcg = new ArrayList<>();
    List<Double> inMrr = new ArrayList<>();
    List<Double> inMap = new ArrayList<>();
    List<Double> ndcg = new ArrayList<>();
    List<Double> mrr = new ArrayList<>();
    List<Double> map = new ArrayList<>();
    int unjudged = 0;
    for (Row r : rows) {
      if (!r.getBoolean(1)) {
        unjudged++;
        continue;
      }
      inNdcg.add(r.getDouble(2));
      inMrr.add(r.getDouble(3));
      inMap.add(r.getDouble(4));
      ndcg.add(r.getDouble(5));
      mrr.add(r.getDouble(6));
      map.add(r.getDouble(7));
    }
    return new Quality(ndcg.size(), unjudged, Metrics.mean(inNdcg), Metrics.mean(inMrr), Metrics.mean(inMap),
        Metrics.mean(ndcg), Metrics.mean(mrr), Metrics.mean(map));
  }

  private static Row evaluate(String qid, Map<String, Integer> qrels, Iterator<Row> it) {
    if (qrels == null) {
      return RowFactory.create(qid, false, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    }
    List<Row> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    rows.sort(Comparator.comparingLong(r -> r.getLong(2)));
    LinkedHashSet<String> input = new LinkedHashSet<>();
    Map<String, Double> scores = new LinkedHashMap<>();
    List<Row> rankedOnly = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Row r : rows) {
      String doc = r.getString(1);
      if (doc == null || !input.add(doc)) {
        continue; // a repeated document counts once, at its first row
      }
      if (!r.isNullAt(3)) {
        scores.put(doc, r.getDouble(3));
      } else if (!r.isNullAt(4)) {
        rankedOnly.add(r); // a ranker that orders without scores (listwise)
      } else {
        failed.add(doc);
      }
    }
    rankedOnly.sort(Comparator.comparingInt(r -> r.getInt(4)));
    List<String> inputOrder = new ArrayList<>(input);
    List<String> output = new ArrayList<>(Metrics.trecOrder(scores));
    rankedOnly.forEach(r -> output.add(r.getString(1)));
    output.addAll(failed);
    return RowFactory.create(qid, true,
        Metrics.ndcg(inputOrder, qrels, K), Metrics.reciprocalRank(inputOrder, qrels, K),
        Metrics.averagePrecision(inputOrder, qrels),
        Metrics.ndcg(output, qrels, K), Metrics.reciprocalRank(output, qrels, K), Metrics.averagePrecision(output, qrels));
  }
}
