package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.json.Json;
import dev.rerankers.spark.testing.TestRankers;
import dev.rerankers.testing.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RerankJob end to end on the shared local session: JSON Lines, CSV and Parquet in; Parquet and
 * JSON Lines part files out; extra fields kept; null scores written as nulls; --qrels in TREC
 * format; exit codes and messages for bad arguments and for a row that fails the job.
 */
class RerankJobTest {
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    SparkTests.spark();
  }

  record Outcome(int status, String out, String err) {}

  static Outcome job(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = RerankJob.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The 40 x 6 rows of ErrorPolicyTest as JSON Lines, with an extra field and an extra row. */
  Path jsonl(String extraLine) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Row r : ErrorPolicyTest.cleanRows()) {
      lines.add("{\"query_id\": " + Json.quote(r.getString(0)) + ", \"query\": " + Json.quote(r.getString(1))
          + ", \"doc_id\": " + Json.quote(r.getString(2)) + ", \"text\": " + Json.quote(r.getString(3))
          + ", \"first_stage_rank\": " + (Integer.parseInt(r.getString(2).substring(1)) + 1) + "}");
    }
    if (extraLine != null) {
      lines.add(extraLine);
    }
    Path file = dir.resolve("pairs.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  static List<Map<String, Object>> jsonParts(Path folder) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Stream<Path> parts = Files.list(folder)) {
      for (Path p : parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          rows.add(TestFiles.map(Json.parse(line)));
        }
      }
    }
    return rows;
  }

  @Test
  void jsonl_in_parquet_out_keeps_every_row_and_field() throws IOException {
    Path out = dir.resolve("out");
    Outcome o = job("--model", "spark-overlap:m", "--input", jsonl(null).toString(), "--output", out.toString(),
        "--master", "local[2]");
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).contains("reranked 240 rows of 40 queries with spark-overlap:m").contains("wrote 240 rows as parquet to");
    List<Row> rows = SparkTests.spark().read().parquet(out.toString()).collectAsList();
    assertThat(rows).hasSize(240);
    assertThat(rows.get(0).schema().fieldNames())
        .containsExactlyInAnyOrder("query_id", "query", "doc_id", "text", "first_stage_rank", "score", "rank");
    assertThat(rows).allSatisfy(r -> assertThat((double) r.getAs("score"))
        .isEqualTo(TestRankers.overlap(r.getAs("query"), r.getAs("text"))));
  }

  @Test
  void csv_in_jsonl_out_with_null_scores_written_as_nulls() throws IOException {
    Path csv = dir.resolve("pairs.csv");
    Files.writeString(csv, String.join("\n",
        "query_id,query,doc_id,text,source",
        "q1,vitamin b12,a,\"vitamin, b12 and \"\"more\"\"\nover two lines\",bm25",
        "q1,vitamin b12,b,vitamin,bm25",
        "q1,vitamin b12,c,,bm25",
        "q2,other,d,nothing,bm25",
        ""), StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Outcome o = job("--model", "spark-overlap:m", "--input", csv.toString(), "--output", out.toString(),
        "--output-format", "jsonl", "--on-error", "null");
    assertThat(o.status()).as(o.err()).isZero();
    List<Map<String, Object>> rows = jsonParts(out);
    assertThat(rows).hasSize(4);
    Map<String, Object> a = rows.stream().filter(r -> r.get("doc_id").equals("a")).findFirst().orElseThrow();
    assertThat(a).containsEntry("text", "vitamin, b12 and \"more\"\nover two lines").containsEntry("rank", 1L)
        .containsEntry("source", "bm25").containsEntry("error", null);
    Map<String, Object> c = rows.stream().filter(r -> r.get("doc_id").equals("c")).findFirst().orElseThrow();
    assertThat(c).containsEntry("score", null).containsEntry("rank", null).containsEntry("error", "text is empty");
  }

  @Test
  void a_folder_of_parquet_parts_is_read_and_trec_qrels_evaluated() throws IOException {
    Path parquet = dir.resolve("candidates");
    // one part file, so the rows are read in the order written (d0..d5 for every query)
    SparkTests.spark().createDataFrame(ErrorPolicyTest.cleanRows(), ErrorPolicyTest.SCHEMA).coalesce(1)
        .write().parquet(parquet.toString());
    // d5 is the one relevant document of q0 and q1; q2..q39 are not judged
    Path qrels = dir.resolve("qrels.trec");
    Files.writeString(qrels, "q0 0 d5 1\nq1 0 d5 2\nq1 0 d0 0\n", StandardCharsets.UTF_8);
    Outcome o = job("--model", "spark-overlap:m", "--input", parquet.toString(), "--output",
        dir.resolve("out").toString(), "--output-format", "jsonl", "--qrels", qrels.toString(), "--top-k", "3");
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).contains("quality over 2 judged queries").contains("38 input queries without judgments");
    // input order d0..d5 puts d5 sixth (nDCG@10 = 1/log2(7)); reranked it is first (1.0)
    assertThat(o.out()).containsPattern("input +0\\.3562 +0\\.1667 +0\\.1667")
        .containsPattern("reranked +1\\.0000 +1\\.0000 +1\\.0000");
    assertThat(jsonParts(dir.resolve("out"))).hasSize(40 * 3);
  }

  @Test
  void a_row_that_cannot_be_scored_fails_the_job_with_its_ids() throws IOException {
    Outcome o = job("--model", "spark-overlap:m", "--input",
        jsonl("{\"query_id\": \"q2\", \"query\": \"vitamin b12 homocysteine level x query2\", \"doc_id\": \"bad\","
            + " \"text\": \"POISON\"}").toString(),
        "--output", dir.resolve("out").toString());
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err()).startsWith("rerankers-spark: failed: cannot score the row with query_id=q2, doc_id=bad:")
        .contains("cannot score a poisoned text").contains("onError=null").doesNotContain("\tat ");
  }

  @Test
  void bad_arguments_exit_2_with_a_message() throws IOException {
    assertThat(job("--help").out()).contains("--model SPEC").contains("--qrels PATH");
    Outcome unknown = job("--model", "dense", "--inptu", "x", "--output", "y");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown argument '--inptu'");
    assertThat(job("--input", "x", "--output", "y").err()).contains("--model is required");
    assertThat(job("--model", "dense", "--input", "x", "--output", "y", "--top-k", "ten").err())
        .contains("--top-k must be an integer, got 'ten'");
    assertThat(job("--model", "dense", "--input", "x", "--output", "y", "--output-format", "csv").err())
        .contains("--output-format must be parquet or jsonl");
    Path exists = Files.createDirectories(dir.resolve("exists"));
    Outcome clash = job("--model", "spark-overlap:m", "--input", jsonl(null).toString(), "--output", exists.toString());
    assertThat(clash.status()).isEqualTo(2);
    assertThat(clash.err()).contains("exists; pass --overwrite");
    Outcome noFormat = job("--model", "spark-overlap:m", "--input", exists.toString(), "--output",
        dir.resolve("o").toString());
    assertThat(noFormat.err()).contains("cannot tell the format of").contains("--input-format");
    Outcome missingColumn = job("--model", "spark-overlap:m", "--input", jsonl(null).toString(), "--output",
        dir.resolve("o2").toString(), "--text-col", "passage");
    assertThat(missingColumn.status()).isEqualTo(2);
    assertThat(missingColumn.err()).contains("the input has no column 'passage' (textCol)");
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
