package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rerankers rank} end to end through the facade, with the TEST-ONLY word-overlap provider
 * (a document scores the fraction of the query's words it contains; not a model).
 */
class RankCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCS = "I hate you\nI really like you\nyou\nlike you I do\n";

  @Test
  void json_lines_in_rank_order_with_the_documented_format(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("docs.txt");
    Files.writeString(docs, DOCS, StandardCharsets.UTF_8);
    CliRun r = CliRun.run("rank", "--model", "word-overlap:test", "--query", "I like you", "--docs", docs.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    // "I like you": doc 1 and 3 contain all three words (1.0), doc 0 two of three, doc 2 one of three
    assertThat(lines.get(0)).isEqualTo("{\"rank\": 1, \"id\": 1, \"score\": 1.0, \"text\": \"I really like you\"}");
    List<Integer> ids = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
      assertThat(keys).containsExactly("rank", "id", "score", "text");
      ids.add(n.get("id").asInt());
    }
    // ties (docs 1 and 3 both 1.0) keep input order
    assertThat(ids).containsExactly(1, 3, 0, 2);
    assertThat(JSON.readTree(lines.get(2)).get("score").asDouble()).isEqualTo(2.0 / 3);
  }

  @Test
  void reads_standard_input_and_prints_a_table_cut_at_top_k() {
    CliRun r = CliRun.runWithInput(DOCS, "rank", "--model", "word-overlap:test", "--query", "I like you", "--top-k", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("rank\\s+score\\s+id\\s+text");
    assertThat(lines.get(1)).matches("\\s+1\\s+1\\.0000\\s+1\\s+I really like you");
    assertThat(lines.get(2)).matches("\\s+2\\s+1\\.0000\\s+3\\s+like you I do");
    assertThat(r.err()).contains("ranked 4 documents with word-overlap:test");
  }

  @Test
  void score_is_null_for_rankers_that_only_order() {
    CliRun r = CliRun.runWithInput(DOCS, "rank", "--model", "word-overlap-order:test", "--query", "I like you", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .isEqualTo("{\"rank\": 1, \"id\": 1, \"score\": null, \"text\": \"I really like you\"}");
    CliRun table = CliRun.runWithInput(DOCS, "rank", "--model", "word-overlap-order:test", "--query", "I like you");
    assertThat(table.out().lines().skip(1).findFirst().orElseThrow()).matches("\\s+1\\s+-\\s+1\\s+I really like you");
  }

  @Test
  void empty_lines_are_documents_and_unicode_survives() {
    CliRun r = CliRun.runWithInput("\nnaïve café\n", "rank", "--model", "word-overlap:test", "--query", "café", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "{\"rank\": 1, \"id\": 1, \"score\": 1.0, \"text\": \"naïve café\"}",
            "{\"rank\": 2, \"id\": 0, \"score\": 0.0, \"text\": \"\"}");
  }

  @Test
  void errors_are_one_clear_line_with_exit_code_1() {
    CliRun missing = CliRun.run("rank", "--model", "word-overlap:test", "--query", "q", "--docs", "/no/such/file.txt");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("--docs /no/such/file.txt: no such file");

    CliRun unimplemented = CliRun.runWithInput("a\n", "rank", "--model", "lit5", "--query", "q");
    assertThat(unimplemented.exitCode()).isEqualTo(1);
    assertThat(unimplemented.err()).contains("model type 'lit5'").contains("not implemented");
  }

  @Test
  void a_bad_option_value_is_a_usage_error_with_exit_code_2_as_documented() {
    CliRun badK = CliRun.runWithInput("a\n", "rank", "--model", "word-overlap:test", "--query", "q", "--top-k", "0");
    assertThat(badK.exitCode()).isEqualTo(2);
    assertThat(badK.err()).contains("--top-k must be >= 1, got 0").contains("Usage: rerankers rank");
  }

  @Test
  void missing_options_are_usage_errors_with_exit_code_2() {
    CliRun r = CliRun.run("rank", "--query", "q");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--model=SPEC'").contains("Usage: rerankers rank");
    CliRun none = CliRun.run();
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("choose a command");
  }
}
