package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerankers.testing.SharedData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rerankers rank --json} end to end against the Python library's own scores
 * ({@code ../shared/golden-e2e}, skipped when absent): every case folder, through the real command,
 * the config-string parser, the facade and the backend. Tolerance 1e-4 on every score; the ranking
 * must be identical. By default the first query of each case runs; {@code -Dparity.allQueries=true}
 * runs all of them.
 */
class RankCommandParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("bert", "cross-encoder", ""),
        Arguments.of("monobert", "cross-encoder", ""),
        Arguments.of("electra", "cross-encoder", ""),
        Arguments.of("xlm-roberta", "cross-encoder", ""),
        Arguments.of("deberta-v2", "cross-encoder", ""),
        Arguments.of("modernbert", "cross-encoder", ""),
        Arguments.of("t5", "t5", ""),
        Arguments.of("t5-gated", "t5", "tokenFalse=" + enc("▁no") + "&tokenTrue=" + enc("▁yes")),
        Arguments.of("colbert", "colbert", ""),
        Arguments.of("colbert-small", "colbert", ""),
        Arguments.of("mxbaiv2", "mxbaiv2", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rank_json_matches_python_rerankers(String folder, String type, String options, @TempDir Path tmp)
      throws Exception {
    Path dir = SharedData.require("golden-e2e/" + folder);
    JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
    boolean all = Boolean.getBoolean("parity.allQueries");
    double worst = 0;
    for (JsonNode c : expected.get("cases")) {
      List<String> docs = new ArrayList<>();
      c.get("docs").forEach(d -> docs.add(d.asText()));
      Path docsFile = tmp.resolve(c.get("query_id").asText() + ".txt");
      Files.write(docsFile, docs, StandardCharsets.UTF_8);
      String spec = type + ":" + dir.toAbsolutePath() + (options.isEmpty() ? "" : "?" + options);
      CliRun run =
          CliRun.run("rank", "--model", spec, "--query", c.get("query").asText(), "--docs", docsFile.toString(), "--json");
      assertThat(run.exitCode()).as(run.err()).isZero();

      double[] got = new double[docs.size()];
      List<Integer> order = new ArrayList<>();
      for (String line : run.out().strip().split("\n")) {
        JsonNode r = JSON.readTree(line);
        got[r.get("id").asInt()] = r.get("score").asDouble();
        order.add(r.get("id").asInt());
      }
      assertThat(order).hasSize(docs.size());
      List<Integer> pythonOrder = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      c.get("doc_ids").forEach(id -> ids.add(id.asText()));
      c.get("ranking").forEach(id -> pythonOrder.add(ids.indexOf(id.asText())));
      JsonNode want = c.get("scores_in_input_order");
      for (int i = 0; i < docs.size(); i++) {
        worst = Math.max(worst, Math.abs(got[i] - want.get(i).asDouble()));
      }
      assertThat(order).as("ranking for query %s", c.get("query_id")).isEqualTo(pythonOrder);
      if (!all) {
        break;
      }
    }
    System.out.printf(Locale.ROOT, "rank --json %-14s max |Δscore| vs Python rerankers = %.2e%n", folder, worst);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
