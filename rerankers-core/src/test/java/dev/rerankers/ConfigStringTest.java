package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config strings, builders, properties and environment variables. */
class ConfigStringTest {

  @Test
  void type_model_and_options_are_parsed_and_url_decoded() {
    RerankerSpec s =
        Reranker.resolve(
            "text-embeddings-inference:BAAI/bge-reranker-base?url=http%3A%2F%2Flocalhost%3A8080&batchSize=8&apiKey=s%26cret");
    assertThat(s.type()).isEqualTo("text-embeddings-inference");
    assertThat(s.model()).isEqualTo("BAAI/bge-reranker-base");
    assertThat(s.options())
        .containsEntry("url", "http://localhost:8080")
        .containsEntry("batchSize", "8")
        .containsEntry("apiKey", "s&cret");
    assertThat(s.intOption("batchSize", 16)).isEqualTo(8);
    assertThat(s.intOption("maxLength", 512)).isEqualTo(512);
  }

  @Test
  void unencoded_urls_with_colons_and_slashes_work_too() {
    RerankerSpec s = Reranker.resolve("cohere:rerank-v3.5?url=https://proxy.example.com/v2/rerank");
    assertThat(s.option("url")).contains("https://proxy.example.com/v2/rerank");
  }

  @Test
  void values_are_canonicalised() {
    RerankerSpec s = Reranker.resolve("cross-encoder:x/y?device=cuda:1&dtype=bfloat16&lang=FR");
    assertThat(s.options()).containsEntry("device", "gpu:1").containsEntry("dtype", "bf16").containsEntry("lang", "fr");
  }

  @Test
  void family_with_empty_model_and_revision_suffix() {
    assertThat(Reranker.resolve("colbert:?lang=fr").model()).isEqualTo("bclavie/FraColBERTv2");
    RerankerSpec r = Reranker.resolve("cross-encoder:BAAI/bge-reranker-base@v1.0");
    assertThat(r.model()).isEqualTo("BAAI/bge-reranker-base");
    assertThat(r.option("revision")).contains("v1.0");
  }

  @Test
  void local_folders_with_an_explicit_type(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("my-ce"));
    RerankerSpec s = Reranker.resolve("cross-encoder:" + dir);
    assertThat(s.model()).isEqualTo(dir.toString());
    assertThat(s.typeExplicit()).isTrue();
  }

  @Test
  void malformed_strings_quote_the_bad_part() {
    assertThatThrownBy(() -> Reranker.resolve("")).isInstanceOf(ConfigException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> Reranker.resolve("crossencoder:foo/bar"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown model type 'crossencoder'")
        .hasMessageContaining("crossencoder:foo/bar");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?batchSize"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'batchSize'").hasMessageContaining("key=value");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?batchSize=abc"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("batchSize=abc").hasMessageContaining("integer");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?batchSize=0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(">= 1");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?device=tpu"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("device=tpu");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?dtype=int4"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("int4");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?a=1&&b=2"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("stray '&'");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?a=1&a=2"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'a' is given twice");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("nothing after '?'");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?url=ftp://host/x"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ftp://host/x");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?v=%zz"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("v=%zz");
    assertThatThrownBy(() -> Reranker.resolve("cross-encoder:x/y?type=t5"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TYPE:MODEL");
    assertThatThrownBy(() -> Reranker.resolve("x/y@"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("revision");
    assertThatThrownBy(() -> Reranker.resolve(":x"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void unknown_option_keys_fail_at_load_naming_the_allowed_ones() {
    assertThatThrownBy(() -> Reranker.load("test-overlap:m?bonnus=1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'bonnus'")
        .hasMessageContaining("bonus")
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> Reranker.builder("m").type("test-overlap").option("bonus", "x").build().rank("q", List.of("a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bonus must be a number");
  }

  @Test
  void a_missing_backend_names_the_exact_dependency_block() {
    assertThatThrownBy(() -> Reranker.load("BAAI/bge-reranker-base"))
        .isInstanceOf(BackendNotFoundException.class)
        .hasMessageContaining("no backend for model type 'cross-encoder'")
        .hasMessageContaining("<groupId>dev.rerankers</groupId>")
        .hasMessageContaining("<artifactId>rerankers-transformers</artifactId>")
        .hasMessageContaining("<version>")
        .satisfies(e -> assertThat(((BackendNotFoundException) e).modelType()).isEqualTo("cross-encoder"));
    assertThatThrownBy(() -> Reranker.load("cohere"))
        .hasMessageContaining("<artifactId>rerankers-api</artifactId>");
    assertThatThrownBy(() -> Reranker.load("colbert"))
        .hasMessageContaining("<artifactId>rerankers-colbert</artifactId>");
    assertThatThrownBy(() -> Reranker.load("lit5"))
        .isInstanceOf(BackendNotFoundException.class)
        .hasMessageContaining("not implemented");
  }

  @Test
  void builder_validates_each_setter() {
    Reranker.Builder b = Reranker.builder("x/y");
    assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(ConfigException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> b.maxLength(-1)).isInstanceOf(ConfigException.class).hasMessageContaining("maxLength");
    assertThatThrownBy(() -> b.device("npu")).isInstanceOf(ConfigException.class).hasMessageContaining("npu");
    assertThatThrownBy(() -> b.url("not a url")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> b.type("Bad Type")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> b.apiKey(" ")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Reranker.builder(" ")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Reranker.builder(null)).isInstanceOf(ConfigException.class);
  }

  @Test
  void secrets_never_appear_in_string_forms() {
    Reranker.Builder b = Reranker.builder("cohere").apiKey("sk-123secret").option("hfToken", "hf_secret");
    assertThat(b.toString()).doesNotContain("sk-123secret").doesNotContain("hf_secret").contains("apiKey=…(12 chars)");
    RerankerSpec s = b.resolve();
    assertThat(s.toString()).doesNotContain("sk-123secret").doesNotContain("hf_secret");
    assertThat(s.toConfigString()).doesNotContain("sk-123secret").startsWith("cohere:rerank-english-v3.0?");
    assertThat(s.options()).containsEntry("apiKey", "sk-123secret");
  }

  @Test
  void to_builder_derives_variants_without_mutating() {
    RerankerSpec s = Reranker.resolve("cross-encoder:x/y?batchSize=4");
    RerankerSpec t = s.toBuilder().batchSize(64).resolve();
    assertThat(s.intOption("batchSize", 0)).isEqualTo(4);
    assertThat(t.intOption("batchSize", 0)).isEqualTo(64);
    assertThat(t.type()).isEqualTo("cross-encoder");
  }

  @Test
  void properties_select_the_backend_without_recompiling() {
    Properties p = new Properties();
    p.setProperty("rerankers.spec", "test-overlap:m");
    p.setProperty("rerankers.bonus", "1.5");
    p.setProperty("unrelated.key", "ignored");
    try (Reranker r = Reranker.fromProperties(p)) {
      assertThat(r.rank("a", List.of("b")).get(0).score()).isEqualTo(1.5);
    }
    Properties bad = new Properties();
    bad.setProperty("app.reranker.spec", "test-overlap:m");
    bad.setProperty("app.reranker.batchSize", "zero");
    assertThatThrownBy(() -> Reranker.fromProperties(bad, "app.reranker"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("app.reranker.batchSize");
    assertThatThrownBy(() -> Reranker.fromProperties(new Properties()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rerankers.spec");
  }

  @Test
  void environment_variables_hold_config_strings() {
    Map<String, String> env = Map.of("RERANKERS_SPEC", "test-overlap:m?bonus=2");
    try (Reranker r = SpecParser.fromEnvironment("RERANKERS_SPEC", env::get).build()) {
      assertThat(r.rank("a", List.of("b")).get(0).score()).isEqualTo(2.0);
    }
    assertThatThrownBy(() -> SpecParser.fromEnvironment("NOPE", env::get))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NOPE is not set");
  }
}
