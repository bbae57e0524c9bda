package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-type inference against a table produced by running the Python library's own decision path
 * on the same names ({@code inference/make_inference_table.py}), with the documented corrections.
 */
class TypeInferenceTest {

  static List<Arguments> table() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(
                    TypeInferenceTest.class.getResourceAsStream("/inference/type-inference-table.psv")),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\|", -1);
        rows.add(Arguments.of(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
      }
    }
    return rows;
  }

  @Test
  void table_covers_at_least_sixty_names_and_every_family_and_provider() throws IOException {
    List<Arguments> rows = table();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(60);
    List<String> names = rows.stream().map(a -> (String) a.get()[0]).toList();
    assertThat(names).containsAll(TypeInference.DEFAULTS.keySet());
    assertThat(names).containsAll(TypeInference.API_PROVIDERS);
  }

  @ParameterizedTest(name = "{0} lang={1} type={2} -> {4}:{3}")
  @MethodSource("table")
  void resolves_like_the_python_library(
      String name, String lang, String type, String model, String expectedType, String apiProvider, String note) {
    StringBuilder spec = new StringBuilder();
    if (!type.isEmpty()) {
      spec.append(type).append(':');
    }
    spec.append(name);
    if (!lang.isEmpty()) {
      spec.append("?lang=").append(lang);
    }
    if (model.equals("ERROR")) {
      assertThatThrownBy(() -> Reranker.resolve(spec.toString()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("no default for lang");
      return;
    }
    RerankerSpec s = Reranker.resolve(spec.toString());
    assertThat(s.model()).as("model for %s", spec).isEqualTo(model);
    assertThat(s.type()).as("type for %s", spec).isEqualTo(expectedType);
    assertThat(s.apiProvider().orElse("")).as("api provider for %s", spec).isEqualTo(apiProvider);
    assertThat(s.typeExplicit()).isEqualTo(!type.isEmpty());
    assertThat(s.reason()).isNotBlank();
  }

  @Test
  void builder_and_config_string_agree() {
    RerankerSpec a = Reranker.builder("colbert").lang("ja").resolve();
    RerankerSpec b = Reranker.resolve("colbert?lang=ja");
    assertThat(a.model()).isEqualTo(b.model()).isEqualTo("bclavie/JaColBERTv2");
    assertThat(a.type()).isEqualTo(b.type()).isEqualTo("colbert");
  }

  @Test
  void backend_is_named_even_when_its_module_is_absent() {
    assertThat(Reranker.resolve("BAAI/bge-reranker-base").backend()).contains("transformers");
    assertThat(Reranker.resolve("cohere").backend()).contains("api");
    assertThat(Reranker.resolve("colbert").backend()).contains("colbert");
    assertThat(Reranker.resolve("flashrank").backend()).contains("flashrank");
    assertThat(Reranker.resolve("mxbaiv2").backend()).contains("llmlayerwise");
    assertThat(Reranker.resolve("monovlm").backend()).contains("monovlm");
    assertThat(Reranker.resolve("lit5").backend()).isEmpty();
  }

  @Test
  void local_folder_config_refines_the_fallback_guess(@TempDir Path tmp) throws IOException {
    Path t5 = Files.createDirectory(tmp.resolve("my-reranker"));
    Files.writeString(t5.resolve("config.json"), "{\"architectures\": [\"T5ForConditionalGeneration\"]}");
    assertThat(Reranker.resolve(t5.toString()).type()).isEqualTo("t5");
    assertThat(Reranker.resolve(t5.toString()).reason()).contains("config.json");

    Path qwen = Files.createDirectory(tmp.resolve("ranker-q"));
    Files.writeString(qwen.resolve("config.json"), "{\"architectures\": [\"Qwen3ForCausalLM\"]}");
    assertThat(Reranker.resolve(qwen.toString()).type()).isEqualTo("qwen3-reranker");

    Path onnx = Files.createDirectory(tmp.resolve("ranker-o"));
    Files.writeString(
        onnx.resolve("config.json"), "{\"architectures\": [\"XLMRobertaForSequenceClassification\"]}");
    Files.createDirectory(onnx.resolve("onnx"));
    Files.write(onnx.resolve("onnx/model.onnx"), new byte[] {1});
    assertThat(Reranker.resolve(onnx.toString()).type()).isEqualTo("onnx-cross-encoder");

    // A keyword in the name still wins, as in Python: refinement only replaces the fallback.
    Path named = Files.createDirectory(tmp.resolve("colbert-ish"));
    Files.writeString(named.resolve("config.json"), "{\"architectures\": [\"T5ForConditionalGeneration\"]}");
    assertThat(Reranker.resolve(named.toString()).type()).isEqualTo("colbert");

    // Unreadable config: no refinement, no failure.
    Path broken = Files.createDirectory(tmp.resolve("ranker-b"));
    Files.writeString(broken.resolve("config.json"), "{not json");
    assertThat(Reranker.resolve(broken.toString()).type()).isEqualTo("cross-encoder");
  }

  @Test
  void explicit_type_overrides_every_quirk() {
    // 'jina' in a local model name means the Jina API unless the type is pinned.
    assertThat(Reranker.resolve("jinaai/jina-reranker-v1-turbo-en").type()).isEqualTo("jina");
    assertThat(Reranker.resolve("cross-encoder:jinaai/jina-reranker-v1-turbo-en").type())
        .isEqualTo("cross-encoder");
    // TinyBERT is a cross-encoder unless pinned to flashrank.
    assertThat(Reranker.resolve("ms-marco-TinyBERT-L-2-v2").type()).isEqualTo("cross-encoder");
    assertThat(Reranker.resolve("flashrank:ms-marco-TinyBERT-L-2-v2").type()).isEqualTo("flashrank");
    // 'gpt' anywhere means RankGPT; 't5' matches before 'colbert'.
    assertThat(Reranker.resolve("org/gpt-colbert").type()).isEqualTo("rankgpt");
    assertThat(Reranker.resolve("org/t5-colbert").type()).isEqualTo("t5");
  }

  @Test
  void unknown_explicit_type_lists_the_known_ones() {
    assertThatThrownBy(() -> Reranker.builder("x/y").type("crossencoder").resolve())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown model type 'crossencoder'")
        .hasMessageContaining("cross-encoder");
  }
}
