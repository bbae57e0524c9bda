package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary: the issue-15 hub items against today's code, existing API only. */
class ReproOnMainTest {
  @TempDir Path tmp;

  FakeHub.Repo repo(FakeHub hub) {
    return hub.model("acme/m", HubClientTest.C1).file("config.json", HubClientTest.CONFIG).lfsFile("model.safetensors", FakeHub.bytes(300_000, 1));
  }

  @Test
  void item5_tampered_regular_file_without_blob_id_is_refused() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      hub.listBlobs(false);
      hub.tamper("config.json", b -> { b[3] ^= 1; return b; });
      Path cache = tmp.resolve("c");
      assertThatThrownBy(() -> HubClient.builder().endpoint(hub.url()).cacheDir(cache).retryBackoff(Duration.ZERO).build().model("acme/m").file("config.json"))
          .isInstanceOf(ModelLoadException.class);
    }
  }

  @Test
  void item6_token_is_not_sent_in_clear_text_to_a_remote_http_endpoint() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      HttpClient viaProxy = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
          .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", hub.port()))).build();
      try {
        HubClient.builder().endpoint("http://hub.example.test").token("hf_ClearTextToken123").httpClient(viaProxy)
            .cacheDir(tmp.resolve("c")).build().model("acme/m").file("config.json");
      } catch (RuntimeException e) {
        System.out.println("item6: " + e);
      }
      System.out.println("item6 requests: " + hub.requests());
      assertThat(hub.requests()).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }
  }

  @Test
  void item7_a_trickling_server_ends_in_seconds() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      hub.trickle("model.safetensors", 1, 300);
      HubClient c = HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).timeout(Duration.ofSeconds(1)).retryBackoff(Duration.ZERO).build();
      Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        assertThatThrownBy(() -> c.model("acme/m").file("model.safetensors")).isInstanceOf(ModelLoadException.class);
      });
    }
  }

  @Test
  void item8_a_redirect_loop_is_not_retried() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      hub.redirect(null, "/resolve/", 302, null);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).build().model("acme/m").file("config.json"))
          .isInstanceOf(ModelLoadException.class);
      System.out.println("item8 loop: " + hub.requestsFor("/resolve/").size() + " requests, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertThat(hub.requestsFor("/resolve/")).hasSizeLessThanOrEqualTo(11);
    }
  }

  @Test
  void item8_an_oversized_listing_is_not_retried_and_no_partial_file_is_claimed() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      hub.padListing(65L << 20);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).retryBackoff(Duration.ZERO).build().model("acme/m").file("config.json"))
          .isInstanceOf(ModelLoadException.class);
      System.out.println("item8 listing: " + hub.requestsFor("/api/").size() + " requests, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertThat(hub.requestsFor("/api/")).hasSize(1);
    }
  }

  @Test
  void item8_zero_bytes_received_claims_no_partial_file() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      repo(hub);
      hub.dropConnection("model.safetensors", 0, 10);
      assertThatThrownBy(() -> HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).maxRetries(0).build().model("acme/m").file("model.safetensors"))
          .isInstanceOf(ModelLoadException.class)
          .satisfies(e -> System.out.println("item8 zero: " + e.getMessage()))
          .hasMessageNotContaining("partial file is kept");
    }
  }
}
