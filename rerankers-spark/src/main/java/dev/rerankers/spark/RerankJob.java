package dev.rerankers.spark;

import dev.rerankers.spark.internal.JobArgs;
import dev.rerankers.spark.internal.Qrels;
import dev.rerankers.spark.internal.Quality;
import dev.rerankers.spark.internal.RerankPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code spark-submit} entry point: reranks a file of query–document pairs into a folder.
 *
 * <pre>
 * spark-submit --class dev.rerankers.spark.RerankJob rerankers-spark-VERSION-all.jar \
 *     --model dense --input candidates.jsonl --output reranked --output-format jsonl \
 *     --qrels qrels/test.tsv
 * </pre>
 *
 * Input: Parquet, JSON Lines or CSV with a header, rows {@code {query_id, query, doc_id, text}} plus
 * any other field; output: Parquet or JSON Lines part files in the output folder, each row the
 * input's fields plus {@code score} and {@code rank} (and {@code error} with {@code --on-error
 * null}). With {@code --qrels} it prints nDCG@10, MRR@10 and MAP of the input order and of the
 * reranked order over every input row (before {@code --top-k}), computed with core's metrics as
 * {@code rerankers eval} computes them; the input order is the order Spark reads the rows in (a
 * single file's line order). {@code
 * --help} lists every flag; {@code bin/rerankers-spark --master local[N] ...} runs it without a
 * Spark installation.
 */
public final class RerankJob {
  private RerankJob() {}

  /**
   * What a run did.
   *
   * @param rows input rows, each scored (or failed)
   * @param written rows written: all of them, or those within {@code --top-k} plus failed ones
   * @param queries distinct query ids
   * @param seconds wall-clock time of scoring and writing
   * @param evaluation the quality of input and output order, or {@code null} without {@code --qrels}
   */
  public record Summary(long rows, long written, long queries, double seconds, Evaluation evaluation) {}

  /**
   * Ranking quality over the judged queries, as {@code rerankers eval} computes it.
   *
   * @param queries input queries with at least one judgment (the ones averaged)
   * @param unjudged input queries without any judgment (not averaged)
   * @param inputNdcg10 nDCG@10 of the input order; likewise MRR@10 and MAP
   * @param ndcg10 nDCG@10 of the reranked order; likewise MRR@10 and MAP
   */
  public record Evaluation(int queries, int unjudged, double inputNdcg10, double inputMrr10, double inputMap,
      double ndcg10, double mrr10, double map) {}

  /** Runs the job; exits with status 1 on failure and 2 on bad arguments. */
  public static void main(String[] args) {
    int status = run(System.out, System.err, true, args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the job with the given streams, in the active Spark session when there is one.
   *
   * @param stopSession stop the Spark session at the end (a main does; a caller sharing it does not)
   * @return 0 on success, 1 when the job failed, 2 for bad arguments
   */
  public static int run(PrintStream out, PrintStream err, boolean stopSession, String... args) {
    JobArgs a;
    try {
      a = JobArgs.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("rerankers-spark: " + e.getMessage());
      return 2;
    }
    if (a.help()) {
      out.println(JobArgs.USAGE);
      return 0;
    }
    SparkSession.Builder builder = SparkSession.builder().appName("rerankers-spark");
    if (a.master() != null) {
      builder.master(a.master());
    }
    a.conf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    try {
      execute(spark, a, out);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("rerankers-spark: " + e.getMessage());
      return 2;
    } catch (Exception e) { // SparkException is checked, but Scala code throws it undeclared
      err.println("rerankers-spark: failed: " + explain(e));
      return 1;
    } finally {
      if (stopSession) {
        spark.stop();
      }
    }
  }

  /** Runs the job in {@code spark}, printing a summary (and the evaluation) to {@code out}. */
  static Summary execute(SparkSession spark, JobArgs a, PrintStream out) {
    RerankOptions o = a.options();
    checkOutput(spark, a);
    Dataset<Row> input = read(spark, a);
    long t0 = System.nanoTime();
    // every row is scored (and evaluated); --top-k applies to what is written
    Dataset<Row> scored = RerankPlan.score(input, o.toBuilder().topK(0).build(), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> kept = o.topK() == 0 ? scored
          : scored.filter(RerankPlan.column(o.rankCol()).isNull().or(RerankPlan.column(o.rankCol()).leq(o.topK())));
      kept = kept.drop(RerankPlan.POSITION);
      long rows = scored.count();
      long written = o.topK() == 0 ? rows : kept.count();
      DataFrameWriter<Row> w = kept.write().mode(a.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
      if (a.outputFormat().equals("jsonl")) {
        w.option("ignoreNullFields", "false").json(a.output());
      } else {
        w.parquet(a.output());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long queries = scored.select(RerankPlan.column(o.queryIdCol())).distinct().count();
      out.printf(Locale.ROOT, "reranked %d rows of %d queries with %s in %.1f s (%.0f rows/s); wrote %d rows as %s to %s%n",
          rows, queries, o.maskedSpec(), seconds, seconds > 0 ? rows / seconds : 0.0, written, a.outputFormat(), a.output());
      Evaluation evaluation = null;
      if (a.qrels() != null) {
        Quality q = Quality.of(scored, o, Qrels.parse(spark.read().textFile(a.qrels()).collectAsList(), a.qrels()));
        evaluation = new Evaluation(q.queries(), q.unjudged(), q.inputNdcg(), q.inputMrr(), q.inputMap(), q.ndcg(),
            q.mrr(), q.map());
        print(out, evaluation, a.qrels());
      }
      return new Summary(rows, written, queries, seconds, evaluation);
    } finally {
      scored.unpersist();
    }
  }

  private static void print(PrintStream out, Evaluation e, String qrels) {
    out.printf(Locale.ROOT, "quality over %d judged queries (qrels %s%s):%n", e.queries(), qrels,
        e.unjudged() > 0 ? "; " + e.unjudged() + " input queries without judgments not counted" : "");
    out.printf(Locale.ROOT, "  %-9s %8s %8s %8s%n", "order", "nDCG@10", "MRR@10", "MAP");
    out.printf(Locale.ROOT, "  %-9s %8.4f %8.4f %8.4f%n", "input", e.inputNdcg10(), e.inputMrr10(), e.inputMap());
    out.printf(Locale.ROOT, "  %-9s %8.4f %8.4f %8.4f%n", "reranked", e.ndcg10(), e.mrr10(), e.map());
  }

  private static Dataset<Row> read(SparkSession spark, JobArgs a) {
    String format = a.inputFormat() != null ? a.inputFormat() : detectFormat(spark, a.input());
    DataFrameReader r = spark.read();
    switch (format) {
      case "parquet":
        return r.parquet(a.input());
      case "jsonl":
        return r.json(a.input());
      default:
        // quoted fields may hold commas, quotes ("") and line breaks
        return r.option("header", "true").option("multiLine", "true").option("escape", "\"").csv(a.input());
    }
  }

  private static String detectFormat(SparkSession spark, String input) {
    Path path = new Path(input);
    String byName = JobArgs.formatOf(path.getName());
    if (byName != null) {
      return byName;
    }
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
        for (FileStatus s : fs.listStatus(path)) {
          String name = s.getPath().getName();
          if (name.startsWith("_") || name.startsWith(".")) {
            continue;
          }
          String f = JobArgs.formatOf(name);
          if (f != null) {
            return f;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("cannot tell the format of " + input + " from its name or its files;"
        + " pass --input-format parquet|jsonl|csv");
  }

  private static void checkOutput(SparkSession spark, JobArgs a) {
    if (a.overwrite()) {
      return;
    }
    Path path = new Path(a.output());
    try {
      if (path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
        throw new IllegalArgumentException("the output " + a.output() + " exists; pass --overwrite to replace it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + a.output() + ": " + e.getMessage(), e);
    }
  }

  /** The most telling message in a failure chain: a rerankers exception's, else the first line. */
  static String explain(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.rerankers.RerankerException) {
        return t.getMessage();
      }
    }
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
