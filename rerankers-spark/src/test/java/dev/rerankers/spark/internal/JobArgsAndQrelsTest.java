package dev.rerankers.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.spark.OnError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's command line and qrels parsing, without Spark. */
class JobArgsAndQrelsTest {
  @Test
  void flags_map_to_options() {
    JobArgs a = JobArgs.parse("--model", "dense", "--input", "in.jsonl", "--output=out", "--top-k", "10",
        "--on-error", "null", "--query-id-col", "qid", "--text-col", "passage", "--output-format", "JSONL",
        "--conf", "spark.ui.enabled=false", "--master", "local[2]", "--overwrite");
    assertThat(a.options().topK()).isEqualTo(10);
    assertThat(a.options().onError()).isEqualTo(OnError.NULL);
    assertThat(a.options().queryIdCol()).isEqualTo("qid");
    assertThat(a.options().textCol()).isEqualTo("passage");
    assertThat(a.output()).isEqualTo("out");
    assertThat(a.outputFormat()).isEqualTo("jsonl");
    assertThat(a.inputFormat()).isNull();
    assertThat(a.conf()).containsEntry("spark.ui.enabled", "false");
    assertThat(a.master()).isEqualTo("local[2]");
    assertThat(a.overwrite()).isTrue();
  }

  @Test
  void bad_command_lines_name_the_flag() {
    assertThatThrownBy(() -> JobArgs.parse("--model", "dense", "--input", "x")).hasMessageContaining("--output is required");
    assertThatThrownBy(() -> JobArgs.parse("--model", "a", "--model", "b")).hasMessageContaining("--model is given twice");
    assertThatThrownBy(() -> JobArgs.parse("--model")).hasMessageContaining("--model needs a value");
    assertThatThrownBy(() -> JobArgs.parse("--model", "d", "--input", "x", "--output", "y", "--conf", "novalue"))
        .hasMessageContaining("--conf needs KEY=VALUE");
    assertThatThrownBy(() -> JobArgs.parse("--model", "d", "--input", "x", "--output", "y", "--input-format", "xml"))
        .hasMessageContaining("--input-format must be parquet, jsonl or csv");
    assertThat(JobArgs.parse("--model", "c:m?apiKey=sk-0123456789abcdefghijklmnop", "--input", "x", "--output", "y")
        .toString()).doesNotContain("sk-0123456789abcdefghijklmnop");
  }

  @Test
  void formats_from_file_names() {
    assertThat(JobArgs.formatOf("part-00000-abc.snappy.parquet")).isEqualTo("parquet");
    assertThat(JobArgs.formatOf("pairs.jsonl.gz")).isEqualTo("jsonl");
    assertThat(JobArgs.formatOf("part-00001-abc-c000.json")).isEqualTo("jsonl");
    assertThat(JobArgs.formatOf("pairs.CSV")).isEqualTo("csv");
    assertThat(JobArgs.formatOf("candidates")).isNull();
  }

  @Test
  void beir_and_trec_qrels() {
    Map<String, Map<String, Integer>> beir = Qrels.parse(List.of("query-id\tcorpus-id\tscore", "1\t31715818\t1",
        "3\t14717500\t1", "3\t999\t0"), "test.tsv");
    assertThat(beir).containsOnlyKeys("1", "3");
    assertThat(beir.get("3")).containsEntry("14717500", 1).containsEntry("999", 0);
    assertThat(Qrels.parse(List.of("q1 0 d1 2", "", "q1 0 d2 0"), "t.qrels").get("q1")).containsEntry("d1", 2);
    assertThatThrownBy(() -> Qrels.parse(List.of("q1 0 d1 2", "q1 d2"), "t.qrels"))
        .hasMessageContaining("t.qrels line 2: expected");
    assertThatThrownBy(() -> Qrels.parse(List.of("q1 0 d1 2", "q1 0 d2 high"), "t.qrels"))
        .hasMessageContaining("the relevance must be an integer, got 'high'");
    assertThatThrownBy(() -> Qrels.parse(List.of("query-id corpus-id score"), "empty.tsv"))
        .hasMessageContaining("holds no judgments");
  }
}
