package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token never travels in clear text to a non-loopback host unless the user opts in. The
 * "remote" plain-http Hub is {@code http://hub.example.test}, reached through a local {@link
 * FakeHub} acting as the HTTP proxy, so the test sees exactly what would go over the wire.
 */
class CredentialsTest {
  static final String TOKEN = "hf_ClearTextToken0123456789";
  static final String REMOTE = "http://hub.example.test";

  @TempDir Path tmp;
  FakeHub hub;
  HttpClient viaProxy;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    hub.model("acme/m", HubClientTest.C1).file("config.json", HubClientTest.CONFIG);
    viaProxy =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", hub.port())))
            .build();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient.Builder remote() {
    return HubClient.builder().endpoint(REMOTE).httpClient(viaProxy).cacheDir(tmp.resolve("c")).progressListener(ProgressListener.none());
  }

  @Test
  void the_proxy_really_carries_plain_http_requests_to_the_fake_hub() throws IOException {
    // without a token plain http is allowed: the file arrives, through the proxy
    assertThat(Files.readString(remote().build().model("acme/m").file("config.json"))).isEqualTo(HubClientTest.CONFIG);
    assertThat(hub.requests()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.host()).isEqualTo("hub.example.test");
      assertThat(r.authorization()).isNull();
    });
  }

  @Test
  void a_token_is_never_sent_in_clear_text_to_a_remote_http_endpoint() {
    try (LogCapture logs = new LogCapture()) {
      assertThatThrownBy(() -> remote().token(TOKEN).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("refusing to send the Hugging Face token in clear text to " + REMOTE)
          .hasMessageContaining("allowInsecure=true")
          .hasMessageContaining("HF_HUB_ALLOW_INSECURE=1")
          .hasMessageContaining("https")
          .hasMessageNotContaining(TOKEN);
      // the same from the environment, as huggingface_hub users configure it
      assertThatThrownBy(
              () -> HubClient.builderFromEnvironment(Map.of("HF_ENDPOINT", REMOTE, "HF_TOKEN", TOKEN), tmp.toString()).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("HF_ENDPOINT")
          .hasMessageNotContaining(TOKEN);
      assertThat(logs.all()).doesNotContain(TOKEN);
    }
    assertThat(hub.requests()).isEmpty();
  }

  @Test
  void the_user_may_opt_in_by_builder_environment_or_spec_option() throws IOException {
    try (LogCapture logs = new LogCapture()) {
      HubClient optedIn = remote().token(TOKEN).allowInsecure(true).build();
      assertThat(Files.readString(optedIn.model("acme/m").file("config.json"))).isEqualTo(HubClientTest.CONFIG);
      assertThat(hub.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
      assertThat(logs.all()).contains("in clear text to " + REMOTE).doesNotContain(TOKEN);
      assertThat(optedIn.toString()).doesNotContain(TOKEN);
    }

    Map<String, String> env = Map.of("HF_ENDPOINT", REMOTE, "HF_TOKEN", TOKEN, "HF_HUB_ALLOW_INSECURE", "1");
    assertThat(HubClient.builderFromEnvironment(env, tmp.toString()).build().allowInsecure()).isTrue();

    RerankerSpec spec =
        Reranker.builder("acme/m").type("cross-encoder").option(RerankerSpec.ALLOW_INSECURE, "true").option(RerankerSpec.CACHE_DIR, tmp.toString()).resolve();
    assertThat(HubSources.remote(spec, Map.of("HF_ENDPOINT", REMOTE, "HF_TOKEN", TOKEN), "/h").toString()).doesNotContain(TOKEN);
    // the option wins over the environment, both ways
    RerankerSpec no = Reranker.builder("acme/m").type("cross-encoder").option(RerankerSpec.ALLOW_INSECURE, "false").resolve();
    assertThatThrownBy(() -> HubSources.remote(no, env, "/h")).isInstanceOf(ConfigException.class).hasMessageContaining("allowInsecure");
  }

  @Test
  void loopback_https_offline_and_tokenless_clients_are_not_refused() {
    for (String ok : new String[] {"http://127.0.0.1:8080", "http://localhost:5564", "http://[::1]:80", "http://127.1.2.3", "https://hub.example.test"}) {
      assertThat(HubClient.builder().endpoint(ok).token(TOKEN).build().hasToken()).as(ok).isTrue();
    }
    assertThat(HubClient.builder().endpoint(REMOTE).token(TOKEN).offline(true).build().offline()).isTrue();
    assertThat(HubClient.builder().endpoint(REMOTE).build().hasToken()).isFalse();
    for (String notLoopback : new String[] {"http://10.0.0.1", "http://localhost.example.com", "http://127.0.0.1.nip.io", "http://[::2]"}) {
      assertThatThrownBy(() -> HubClient.builder().endpoint(notLoopback).token(TOKEN).build()).as(notLoopback).isInstanceOf(ConfigException.class);
    }
  }
}
