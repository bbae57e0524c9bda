package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BEIR reader: the bundled sample, the accepted variants, and malformed data named by file and line. */
class BeirReaderTest {
  static final Path SAMPLE = Path.of("../examples/datasets/scifact-sample");

  private static final String CORPUS =
      "{\"_id\": \"d1\", \"title\": \"Cats\", \"text\": \"Cats purr.\"}\n"
          + "{\"_id\": \"d2\", \"text\": \"Dogs bark.\"}\n"
          + "\n"
          + "{\"_id\": 3, \"title\": null, \"text\": \"Birds sing.\"}\n";
  private static final String QUERIES = "{\"_id\": \"q1\", \"text\": \"do cats purr\"}\n{\"_id\": \"q2\", \"text\": \"birds\"}\n";
  private static final String QRELS = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\t3\t2\nq1\td2\t0\n";

  static Path write(Path dir, String corpus, String queries, String qrels) throws IOException {
    Files.createDirectories(dir.resolve("qrels"));
    if (corpus != null) {
      Files.writeString(dir.resolve("corpus.jsonl"), corpus, StandardCharsets.UTF_8);
    }
    if (queries != null) {
      Files.writeString(dir.resolve("queries.jsonl"), queries, StandardCharsets.UTF_8);
    }
    if (qrels != null) {
      Files.writeString(dir.resolve("qrels/test.tsv"), qrels, StandardCharsets.UTF_8);
    }
    return dir;
  }

  @Test
  void reads_the_bundled_sample() {
    BeirDataset d = BeirReader.read(SAMPLE, "test");
    assertThat(d.corpus()).hasSize(185);
    assertThat(d.queries()).hasSize(20);
    assertThat(d.qrels()).hasSize(20);
    assertThat(d.qrels().values().stream().mapToInt(m -> m.size()).sum()).isEqualTo(22);
    assertThat(d.evaluatedQueries(0)).hasSize(20).startsWith("1", "3", "5");
    assertThat(d.evaluatedQueries(5)).hasSize(5);
    CorpusDoc first = d.corpus().values().iterator().next();
    assertThat(first.fullText()).isEqualTo(first.title() + " " + first.text());
  }

  @Test
  void reads_ids_titles_headers_and_graded_judgments(@TempDir Path dir) throws IOException {
    BeirDataset d = BeirReader.read(write(dir, CORPUS, QUERIES, QRELS), "test");
    assertThat(d.corpus().keySet()).containsExactly("d1", "d2", "3");
    assertThat(d.corpus().get("d1").fullText()).isEqualTo("Cats Cats purr.");
    assertThat(d.corpus().get("d2").fullText()).isEqualTo("Dogs bark.");
    assertThat(d.qrels().get("q1")).containsExactly(java.util.Map.entry("d1", 1), java.util.Map.entry("d2", 0));
    assertThat(d.qrels().get("q2")).containsEntry("3", 2);
  }

  @Test
  void reads_trec_qrels_and_gzipped_files(@TempDir Path dir) throws IOException {
    write(dir, null, QUERIES, "q1 0 d1 1\nq2 0 3 1\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("corpus.jsonl.gz")))) {
      out.write(CORPUS.getBytes(StandardCharsets.UTF_8));
    }
    BeirDataset d = BeirReader.read(dir, "test");
    assertThat(d.corpus()).hasSize(3);
    assertThat(d.qrels().get("q2")).containsEntry("3", 1);
  }

  @Test
  void a_missing_file_is_named(@TempDir Path dir) throws IOException {
    write(dir, CORPUS, QUERIES, null);
    assertThatThrownBy(() -> BeirReader.read(dir, "test"))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("has no qrels/test.tsv");
    assertThatThrownBy(() -> BeirReader.read(dir, "dev")).hasMessageContaining("has no qrels/dev.tsv");
    assertThatThrownBy(() -> BeirReader.read(dir.resolve("nope"), "test"))
        .hasMessageContaining("dataset folder " + dir.resolve("nope") + " does not exist");
  }

  @Test
  void malformed_lines_are_named_by_file_and_line(@TempDir Path dir) throws IOException {
    Path corpus = dir.resolve("corpus.jsonl");
    for (Object[] c : List.of(
        new Object[] {CORPUS.replace("{\"_id\": \"d2\"", "{\"_id\": \"d2\" oops"), ":2: not valid JSON"},
        new Object[] {CORPUS.replace("{\"_id\": \"d2\", ", "{"), ":2: missing \"_id\""},
        new Object[] {CORPUS.replace("\"text\": \"Dogs bark.\"", "\"body\": \"x\""), ":2: missing \"text\""},
        new Object[] {CORPUS.replace("\"_id\": 3", "\"_id\": \"d1\""), ":4: document id 'd1' appears twice"},
        new Object[] {CORPUS + "[1, 2]\n", ":5: expected one JSON object per line"})) {
      write(dir, (String) c[0], QUERIES, QRELS);
      assertThatThrownBy(() -> BeirReader.read(dir, "test"))
          .isInstanceOf(DatasetException.class)
          .hasMessageStartingWith(corpus + (String) c[1]);
    }
  }

  @Test
  void judgments_naming_unknown_ids_or_bad_grades_are_named_by_file_and_line(@TempDir Path dir) throws IOException {
    Path qrels = dir.resolve("qrels/test.tsv");
    write(dir, CORPUS, QUERIES, QRELS + "q9\td1\t1\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test"))
        .hasMessageStartingWith(qrels + ":5: query id 'q9' is not in " + dir.resolve("queries.jsonl"));
    write(dir, CORPUS, QUERIES, QRELS + "q1\tdX\t1\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test"))
        .hasMessageStartingWith(qrels + ":5: document id 'dX' is not in " + dir.resolve("corpus.jsonl"));
    write(dir, CORPUS, QUERIES, QRELS + "q2\td1\thigh\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test"))
        .hasMessageStartingWith(qrels + ":5: the score 'high' is not an integer grade");
    write(dir, CORPUS, QUERIES, QRELS + "q2\td1\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test")).hasMessageStartingWith(qrels + ":5: expected 3 tab-separated");
    write(dir, CORPUS, QUERIES, QRELS + "q1\td1\t1\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test"))
        .hasMessageStartingWith(qrels + ":5: query 'q1' judges document 'd1' twice");
    write(dir, CORPUS, QUERIES, "query-id\tcorpus-id\tscore\n");
    assertThatThrownBy(() -> BeirReader.read(dir, "test")).hasMessageContaining("holds no judgments");
  }
}
