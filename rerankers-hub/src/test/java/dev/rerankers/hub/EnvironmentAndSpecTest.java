package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Credentials;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HF_* environment, read the way huggingface_hub reads it, and the spec options over it. */
class EnvironmentAndSpecTest {
  @TempDir Path tmp;

  @Test
  void defaults_follow_huggingface_hub() {
    HubClient c = HubClient.builderFromEnvironment(Map.of(), "/home/u").build();
    assertThat(c.endpoint().toString()).isEqualTo("https://huggingface.co");
    assertThat(c.cacheDir()).isEqualTo(Path.of("/home/u/.cache/huggingface/hub"));
    assertThat(c.hasToken()).isFalse();
    assertThat(c.offline()).isFalse();
    assertThat(c.symlinks()).isTrue();
  }

  @Test
  void cache_folder_precedence() {
    assertThat(HubClient.builderFromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), "/h").build().cacheDir())
        .isEqualTo(Path.of("/x/huggingface/hub"));
    assertThat(HubClient.builderFromEnvironment(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/data/hf"), "/h").build().cacheDir())
        .isEqualTo(Path.of("/data/hf/hub"));
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HOME", "/data/hf", "HUGGINGFACE_HUB_CACHE", "/legacy"), "/h").build().cacheDir())
        .isEqualTo(Path.of("/legacy"));
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HUB_CACHE", "~/models", "HUGGINGFACE_HUB_CACHE", "/legacy"), "/h").build().cacheDir())
        .isEqualTo(Path.of("/h/models"));
  }

  @Test
  void token_from_the_variable_or_the_login_file() throws Exception {
    Path home = tmp.resolve("hf");
    Files.createDirectories(home);
    Files.writeString(home.resolve("token"), "hf_fromfile\n");
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HOME", home.toString()), "/h").build().hasToken()).isTrue();
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HOME", tmp.resolve("none").toString()), "/h").build().hasToken()).isFalse();
    Path other = tmp.resolve("other-token");
    Files.writeString(other, "hf_other");
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_TOKEN_PATH", other.toString()), "/h").build().hasToken()).isTrue();
    HubClient c = HubClient.builderFromEnvironment(Map.of("HF_TOKEN", "hf_env", "HF_HOME", home.toString()), "/h").build();
    assertThat(c.toString()).doesNotContain("hf_env").doesNotContain("hf_fromfile").contains("token=" + Credentials.mask("hf_env"));
  }

  @Test
  void endpoint_offline_symlinks_and_timeout_variables() {
    HubClient c =
        HubClient.builderFromEnvironment(
                Map.of("HF_ENDPOINT", "https://hf-mirror.example/", "TRANSFORMERS_OFFLINE", "true", "HF_HUB_DISABLE_SYMLINKS", "1",
                    "HF_HUB_DOWNLOAD_TIMEOUT", "12.5"),
                "/h")
            .build();
    assertThat(c.endpoint().toString()).isEqualTo("https://hf-mirror.example");
    assertThat(c.offline()).isTrue();
    assertThat(c.symlinks()).isFalse();
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), "/h").build().offline()).isFalse();
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HUB_OFFLINE", "yes"), "/h").build().offline()).isTrue();
    assertThatThrownBy(() -> HubClient.builderFromEnvironment(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon"), "/h"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HF_HUB_DOWNLOAD_TIMEOUT");
  }

  @Test
  void builder_validates_and_names_each_setting() {
    assertThatThrownBy(() -> HubClient.builder().endpoint("ftp://x")).isInstanceOf(ConfigException.class).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> HubClient.builder().endpoint("https://user:pw@x")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> HubClient.builder().maxRetries(-1)).hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> HubClient.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> HubClient.builder().httpClient(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()))
        .hasMessageContaining("Redirect.NEVER");
    assertThatThrownBy(() -> HubClient.builder().token("hf_has space")).isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("hf_has");
    assertThatThrownBy(() -> HubClient.builder().build().model("not a repo")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a Hugging Face repo id");
  }

  @Test
  void spec_options_override_the_environment() {
    RerankerSpec spec =
        Reranker.builder("acme/tiny-reranker")
            .type("cross-encoder")
            .revision("v1.0")
            .option(RerankerSpec.CACHE_DIR, tmp.resolve("c").toString())
            .option(RerankerSpec.OFFLINE, "false")
            .option(RerankerSpec.HF_TOKEN, "hf_fromspec")
            .resolve();
    HubRepo repo = HubSources.remote(spec, Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", "/elsewhere"), "/h");
    assertThat(repo.id()).isEqualTo("acme/tiny-reranker");
    assertThat(repo.revision()).isEqualTo("v1.0");
    assertThat(repo.toString()).contains(tmp.resolve("c").toString()).doesNotContain("hf_fromspec");
    assertThat(spec.toString()).doesNotContain("hf_fromspec");

    RerankerSpec offline = Reranker.builder("acme/tiny-reranker").type("cross-encoder").option(RerankerSpec.CACHE_DIR, tmp.toString()).resolve();
    HubRepo r = HubSources.remote(offline, Map.of("HF_HUB_OFFLINE", "1"), "/h");
    assertThatThrownBy(() -> r.file("config.json")).isInstanceOf(ModelLoadException.class).hasMessageContaining("offline mode is on");
  }

  @Test
  void model_source_picks_a_local_folder_or_the_hub() throws Exception {
    Path folder = tmp.resolve("my-model");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("config.json"), "{}");
    ModelSource local = ModelSource.of(Reranker.builder(folder.toString()).type("cross-encoder").resolve());
    assertThat(local.isLocal()).isTrue();
    assertThat(local.directory()).isEqualTo(folder.toAbsolutePath());
    assertThat(local.require(java.util.List.of("config.json"))).containsKey("config.json");
    assertThat(local.matching("*.json")).containsOnlyKeys("config.json");

    assertThatThrownBy(() -> ModelSource.of(Reranker.builder(tmp.resolve("missing/folder").toString()).type("cross-encoder").resolve()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("neither an existing local folder nor a Hugging Face repo id");
  }

  @Test
  void the_spec_path_downloads_end_to_end() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      hub.model("acme/tiny-reranker", HubClientTest.C1).file("config.json", "{\"model_type\": \"bert\"}");
      RerankerSpec spec = Reranker.builder("acme/tiny-reranker").type("cross-encoder").option(RerankerSpec.CACHE_DIR, tmp.toString()).resolve();
      HubRepo repo = HubSources.remote(spec, Map.of("HF_ENDPOINT", hub.url()), "/h");
      assertThat(Files.readString(repo.file("config.json"))).contains("bert");
      assertThat(repo.directory()).isEqualTo(tmp.resolve("models--acme--tiny-reranker/snapshots/" + HubClientTest.C1));
    }
  }
}
