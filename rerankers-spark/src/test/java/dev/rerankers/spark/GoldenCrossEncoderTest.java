package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The golden BERT cross-encoder fixture (expected.json: the Python rerankers library's scores for 4
 * SciFact queries, 31 pairs mixing titles, over-length abstracts and non-ASCII text) ranked on
 * Spark: scores equal the Python library's within 1e-4 (the fixture's tolerance) and the in-process
 * ranker's within 1e-6, and every query's ranking equals Python's.
 */
class GoldenCrossEncoderTest {
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("query_id", DataTypes.StringType, false),
      DataTypes.createStructField("query", DataTypes.StringType, false),
      DataTypes.createStructField("doc_id", DataTypes.StringType, false),
      DataTypes.createStructField("text", DataTypes.StringType, false)));

  @Test
  void spark_scores_equal_the_python_library_and_the_in_process_ranker() {
    Path folder = TestFiles.resource("golden/bert");
    String spec = "cross-encoder:" + folder;
    List<Map<String, Object>> cases = TestFiles.maps(TestFiles.json(folder.resolve("expected.json")).get("cases"));
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> c : cases) {
      List<String> docs = TestFiles.strings(c.get("docs"));
      List<String> ids = TestFiles.strings(c.get("doc_ids"));
      for (int i = 0; i < docs.size(); i++) {
        rows.add(RowFactory.create(c.get("query_id").toString(), c.get("query"), ids.get(i), docs.get(i)));
      }
    }
    // one row per partition at most: forces the rows of a query to meet again in the shuffle
    List<Row> out = Rerank.scores(SparkTests.spark().createDataFrame(rows, SCHEMA).repartition(rows.size()),
        RerankOptions.builder(spec).batchPairs(7).build()).collectAsList();
    assertThat(out).hasSize(rows.size());
    Map<String, Row> got = new HashMap<>();
    out.forEach(r -> got.put(r.getAs("query_id") + "/" + r.getAs("doc_id"), r));
    double vsPython = 0;
    double vsInProcess = 0;
    try (Reranker local = Reranker.load(spec)) {
      for (Map<String, Object> c : cases) {
        String qid = c.get("query_id").toString();
        List<String> ids = TestFiles.strings(c.get("doc_ids"));
        double[] python = TestFiles.doubles(c.get("scores_in_input_order"));
        RankedResults inProcess = local.rank((String) c.get("query"), TestFiles.strings(c.get("docs")), ids, null);
        for (int i = 0; i < ids.size(); i++) {
          Row r = got.get(qid + "/" + ids.get(i));
          double score = r.getAs("score");
          vsPython = Math.max(vsPython, Math.abs(score - python[i]));
          vsInProcess = Math.max(vsInProcess, Math.abs(score - inProcess.scoreOf(ids.get(i)).orElseThrow()));
        }
        List<String> sparkRanking = new ArrayList<>();
        for (int rank = 1; rank <= ids.size(); rank++) {
          for (String id : ids) {
            if ((int) got.get(qid + "/" + id).getAs("rank") == rank) {
              sparkRanking.add(id);
            }
          }
        }
        assertThat(sparkRanking).as("ranking of query %s", qid).isEqualTo(TestFiles.strings(c.get("ranking")));
        assertThat(sparkRanking).isEqualTo(inProcess.results().stream().map(Result::id).toList());
      }
    }
    System.out.printf(Locale.ROOT, "golden bert on spark: max |Δ| vs Python %.2e (tolerance 1e-4), vs in-process %.2e"
        + " (tolerance 1e-6), %d pairs%n", vsPython, vsInProcess, rows.size());
    assertThat(vsPython).isLessThanOrEqualTo(1e-4);
    assertThat(vsInProcess).isLessThanOrEqualTo(1e-6);
  }
}
