package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerankers.cli.RerankersCli;
import dev.rerankers.cli.eval.BeirDataset;
import dev.rerankers.cli.eval.BeirReader;
import dev.rerankers.eval.Metrics;
import dev.rerankers.json.Json;
import dev.rerankers.spark.internal.JobArgs;
import dev.rerankers.testing.SharedData;
import dev.rerankers.testing.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SciFact through Spark and through {@code rerankers eval}, on the same candidates: BM25's top 10
 * hits per judged query as the command line's first stage chose them (runs/first-stage.trec of its
 * report). BEIR SciFact from ../shared/data/scifact when present, else the bundled 20-query sample;
 * the default build takes the first 30 judged queries (300 pairs), {@code -Pslow} all of them
 * (300 queries, 3,000 pairs; system property {@code rerankers.spark.scifact.queries}, 0 for all).
 * Two rankers: the offline {@code dense}
 * default (all-MiniLM-L6-v2 on ONNX Runtime) and a golden cross-encoder (the tiny BERT fixture the
 * Python library scored, copied from rerankers-transformers).
 *
 * <p>Proven: every row comes out once, each Spark score equals the command line's in-process score
 * within 1e-6, nDCG@10 of the Spark output equals the command line's (exactly, from its run file;
 * within report.json's 6-decimal rounding), and RerankJob's --qrels report gives the same nDCG@10
 * for both the input (BM25) and the reranked order (to 1e-12: its mean is summed over the queries
 * in query-id order).
 */
class SciFactParityTest {
  static final String DENSE = "dense";
  static final double SCORE_TOLERANCE = 1e-6;

  static SparkSession spark;
  static Path datasetDir;
  static BeirDataset data;
  static String golden;
  static Path report;
  static Map<String, Object> reportJson;
  /** query id to (doc id to score), in the run file's order. */
  static Map<String, Map<String, Double>> firstStage;
  static Dataset<Row> candidates;
  static int pairs;

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("query_id", DataTypes.StringType, false),
      DataTypes.createStructField("query", DataTypes.StringType, false),
      DataTypes.createStructField("doc_id", DataTypes.StringType, false),
      DataTypes.createStructField("text", DataTypes.StringType, false),
      DataTypes.createStructField("bm25", DataTypes.DoubleType, false)));

  @BeforeAll
  static void evaluateWithTheCommandLine() throws IOException {
    Path full = SharedData.root().map(r -> r.resolve("data/scifact")).filter(Files::isDirectory).orElse(null);
    datasetDir = full != null ? full : Path.of("..", "examples", "datasets", "scifact-sample").toAbsolutePath().normalize();
    int depth = 10;
    // the default build ranks the first 30 judged queries (300 pairs); -Pslow ranks all 300 queries
    int queries = Integer.getInteger("rerankers.spark.scifact.queries", 30);
    golden = "cross-encoder:" + TestFiles.resource("golden/bert");
    report = Path.of("target", "scifact-eval").toAbsolutePath();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = RerankersCli.run(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false,
        "eval", "--dataset", datasetDir.toString(), "--first-stage", "bm25", "--depth", Integer.toString(depth),
        "--queries", Integer.toString(queries > 0 ? queries : Integer.MAX_VALUE),
        "--rerankers", DENSE + "," + golden, "--warmup", "0", "--no-progress", "--report", report.toString());
    assertThat(code).as("rerankers eval: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    System.out.print(out.toString(StandardCharsets.UTF_8));
    reportJson = TestFiles.json(report.resolve("report.json"));
    data = BeirReader.read(datasetDir, "test");
    firstStage = run(report.resolve("runs/first-stage.trec"));
    spark = SparkTests.spark();
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> q : firstStage.entrySet()) {
      // input order = the order the command line evaluates BM25 in (trec_eval's)
      for (String doc : Metrics.trecOrder(q.getValue())) {
        rows.add(RowFactory.create(q.getKey(), data.queries().get(q.getKey()), doc, data.corpus().get(doc).fullText(),
            q.getValue().get(doc)));
      }
    }
    pairs = rows.size();
    candidates = spark.createDataFrame(rows, SCHEMA).repartition(3);
  }

  /** A TREC run file: query id to (doc id to score), in file order. */
  static Map<String, Map<String, Double>> run(Path file) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.forEach(line -> {
        String[] f = line.split(" ");
        out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[2], Double.parseDouble(f[4]));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Path runFile(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(report.resolve("runs"))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
    }
  }

  /** Mean nDCG@10 of scored rankings over the command line's evaluated queries, as it computes it. */
  static double ndcg10(Map<String, Map<String, Double>> scores) {
    List<Double> per = new ArrayList<>();
    for (String qid : firstStage.keySet()) {
      per.add(Metrics.ndcg(Metrics.trecOrder(scores.getOrDefault(qid, Map.of())), data.qrels().get(qid), 10));
    }
    return Metrics.mean(per);
  }

  static double reported(String spec, String metric) {
    for (Object o : TestFiles.maps(reportJson.get("rerankers"))) {
      Map<String, Object> row = TestFiles.map(o);
      if (row.get("spec").equals(spec)) {
        return ((Number) row.get(metric)).doubleValue();
      }
    }
    throw new AssertionError("no row " + spec + " in report.json");
  }

  void checkParity(String spec, Path cliRun) {
    Map<String, Map<String, Double>> cli = run(cliRun);
    List<Row> out = Rerank.scores(candidates, spec).collectAsList();
    assertThat(out).as("rows out").hasSize(pairs);
    Map<String, Map<String, Double>> sparkScores = new HashMap<>();
    double maxDiff = 0;
    for (Row r : out) {
      String qid = r.getAs("query_id");
      String doc = r.getAs("doc_id");
      double score = r.getAs("score");
      assertThat(sparkScores.computeIfAbsent(qid, k -> new HashMap<>()).put(doc, score)).as("%s/%s twice", qid, doc).isNull();
      maxDiff = Math.max(maxDiff, Math.abs(score - cli.get(qid).get(doc)));
      assertThat((double) r.getAs("bm25")).isEqualTo(firstStage.get(qid).get(doc));
    }
    double sparkNdcg = ndcg10(sparkScores);
    double cliNdcg = ndcg10(cli);
    System.out.printf(Locale.ROOT, "%s on %s: %d pairs, max |spark - in-process score| %.2e, nDCG@10 spark %.6f,"
        + " command line %.6f (report.json %.6f)%n", spec, datasetDir.getFileName(), pairs, maxDiff, sparkNdcg, cliNdcg,
        reported(spec, "ndcg@10"));
    assertThat(maxDiff).isLessThanOrEqualTo(SCORE_TOLERANCE);
    assertThat(sparkNdcg).isEqualTo(cliNdcg);
    assertThat(sparkNdcg).isCloseTo(reported(spec, "ndcg@10"), within(5e-7));
  }

  @Test
  void dense_scores_and_ndcg_match_rerankers_eval() throws IOException {
    checkParity(DENSE, runFile("dense"));
  }

  @Test
  void golden_cross_encoder_scores_and_ndcg_match_rerankers_eval() throws IOException {
    checkParity(golden, runFile("cross-encoder"));
  }

  @Test
  void rerank_job_reports_the_same_ndcg_for_input_and_reranked_order() throws IOException {
    Path work = Path.of("target", "job-scifact").toAbsolutePath();
    Path input = work.resolve("candidates.jsonl");
    Files.createDirectories(work);
    List<String> lines = new ArrayList<>();
    for (Row r : candidates.coalesce(1).collectAsList()) {
      lines.add("{\"query_id\": " + Json.quote(r.getString(0)) + ", \"query\": " + Json.quote(r.getString(1))
          + ", \"doc_id\": " + Json.quote(r.getString(2)) + ", \"text\": " + Json.quote(r.getString(3))
          + ", \"bm25\": " + r.getDouble(4) + "}");
    }
    // the job reads rows in file order: write them query by query in BM25's order
    List<String> ordered = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> q : firstStage.entrySet()) {
      for (String doc : Metrics.trecOrder(q.getValue())) {
        String prefix = "{\"query_id\": " + Json.quote(q.getKey()) + ", \"query\": ";
        String docPart = "\"doc_id\": " + Json.quote(doc) + ",";
        ordered.add(lines.stream().filter(l -> l.startsWith(prefix) && l.contains(docPart)).findFirst().orElseThrow());
      }
    }
    Files.write(input, ordered, StandardCharsets.UTF_8);
    Path qrels = datasetDir.resolve("qrels/test.tsv");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RerankJob.Summary summary = RerankJob.execute(spark, JobArgs.parse("--model", golden, "--input", input.toString(),
        "--output", work.resolve("out").toString(), "--output-format", "jsonl", "--qrels", qrels.toString(),
        "--overwrite"), new PrintStream(printed, true, StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(summary.rows()).isEqualTo(pairs);
    assertThat(summary.queries()).isEqualTo(firstStage.size());
    RerankJob.Evaluation e = summary.evaluation();
    assertThat(e.queries()).isEqualTo(firstStage.size());
    assertThat(e.inputNdcg10()).isCloseTo(ndcg10(firstStage), within(1e-12));
    assertThat(e.inputNdcg10()).isCloseTo(reported("first-stage", "ndcg@10"), within(5e-7));
    assertThat(e.ndcg10()).isCloseTo(ndcg10(run(runFile("cross-encoder"))), within(1e-12));
    assertThat(e.mrr10()).isCloseTo(reported(golden, "mrr@10"), within(5e-7));
    assertThat(e.map()).isCloseTo(reported(golden, "map"), within(5e-7));
    assertThat(text).contains("quality over " + firstStage.size() + " judged queries").contains("reranked");
    // the output folder holds JSON Lines part files: every input field plus score and rank
    long rows;
    try (Stream<Path> parts = Files.list(work.resolve("out"))) {
      rows = parts.filter(p -> p.getFileName().toString().startsWith("part-")).flatMap(p -> {
        try {
          return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }).peek(l -> assertThat(TestFiles.map(Json.parse(l))).containsKeys("query_id", "query", "doc_id", "text", "bm25",
          "score", "rank")).count();
    }
    assertThat(rows).isEqualTo(pairs);
  }
}
