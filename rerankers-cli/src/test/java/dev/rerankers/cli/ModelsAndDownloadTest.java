package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rerankers models} and {@code rerankers download}. */
class ModelsAndDownloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void models_lists_families_defaults_per_language_and_backends() {
    CliRun r = CliRun.run("models");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("cross-encoder\\s+cross-encoder\\s+transformers\\s+en: mixedbread-ai/mxbai-rerank-base-v1")
        .containsPattern("\\s+fr: antoinelouis/crossencoder-camembert-base-mmarcoFR")
        .containsPattern("cohere\\s+cohere\\s+api\\s+en: rerank-english-v3.0")
        .containsPattern("\\s+other: rerank-multilingual-v3.0")
        .containsPattern("rerankers-flashrank\\s+(present|missing)\\s+flashrank, onnx-cross-encoder, dense")
        .contains("test-word-overlap (dev.rerankers.cli.testing.WordOverlapProvider): always-fails, word-overlap,"
            + " word-overlap-order");
  }

  @Test
  void models_json_says_which_modules_are_on_the_classpath() throws Exception {
    JsonNode root = JSON.readTree(CliRun.run("models", "--json").out());
    JsonNode colbert = null;
    for (JsonNode f : root.get("families")) {
      if (f.get("name").asText().equals("colbert")) {
        colbert = f;
      }
    }
    assertThat(colbert).isNotNull();
    assertThat(colbert.get("defaults").get("ja").asText()).isEqualTo("bclavie/JaColBERTv2");
    assertThat(root.get("modules")).hasSize(6);
    for (JsonNode m : root.get("modules")) {
      // present exactly when some provider on the classpath serves one of the module's types
      assertThat(m.get("on_classpath").asBoolean()).isEqualTo(!m.get("providers").isEmpty());
      assertThat(m.get("module").asText()).isEqualTo("rerankers-" + m.get("backend").asText());
    }
    assertThat(root.get("other_providers").get(0).get("name").asText()).isEqualTo("test-word-overlap");
  }

  @Test
  void models_options_prints_what_the_backend_declares() throws Exception {
    CliRun r = CliRun.run("models", "--options", "colbert");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Options of type colbert")
        .containsPattern("batchSize\\s+integer >= 1\\s+32\\s+")
        .containsPattern("cacheMb\\s+integer >= 0\\s+256\\s+");
    JsonNode root = JSON.readTree(CliRun.run("models", "--options", "cross-encoder", "--json").out());
    assertThat(root.get("type").asText()).isEqualTo("cross-encoder");
    JsonNode format = null;
    for (JsonNode o : root.get("options")) {
      if (o.get("key").asText().equals("format")) {
        format = o;
      }
    }
    assertThat(format).isNotNull();
    assertThat(format.get("default").asText()).isEqualTo("auto");
    CliRun unknown = CliRun.run("models", "--options", "no-such-type");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("no-such-type");
  }

  @Test
  void download_of_a_local_folder_lists_it_and_fetches_nothing(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.createDirectories(dir.resolve("onnx"));
    Files.writeString(dir.resolve("onnx/model.onnx"), "x");
    CliRun r = CliRun.run("download", "word-overlap:" + dir);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains(dir + " is a local folder; nothing to download")
        .contains("  config.json").contains("  onnx/model.onnx");
    CliRun onlyOnnx = CliRun.run("download", "word-overlap:" + dir, "--include", "onnx/*");
    assertThat(onlyOnnx.out()).contains("onnx/model.onnx").doesNotContain("config.json");
  }

  @Test
  void download_of_a_hosted_api_ranker_needs_nothing() {
    CliRun r = CliRun.run("download", "cohere");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("cohere:rerank-english-v3.0 is served by a hosted API; nothing to download.");
  }

  @Test
  void download_of_a_hub_model_that_cannot_be_fetched_fails_naming_it(@TempDir Path cache) {
    // offline with an empty cache: fails whether or not the Hub client is present
    CliRun r = CliRun.run("download", "cross-encoder:cross-encoder/ms-marco-MiniLM-L-6-v2?offline=true&cacheDir=" + cache);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("cross-encoder/ms-marco-MiniLM-L-6-v2");
  }
}
