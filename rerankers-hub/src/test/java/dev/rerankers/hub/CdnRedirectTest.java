package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LFS files redirect to a CDN on another origin over https, as on the real Hub: the redirect is
 * followed, the token goes to the Hub only, never to the CDN. The CDN is a local {@link
 * HttpsServer} with the self-signed test certificate of {@link TestTls}.
 */
class CdnRedirectTest {
  @TempDir Path tmp;

  @Test
  void lfs_redirects_to_an_https_cdn_without_the_token() throws Exception {
    String token = "hf_PrivateToken000111222333";
    try (FakeHub hub = new FakeHub()) {
      byte[] weights = FakeHub.bytes(50_000, 4);
      FakeHub.Repo repo = hub.model("acme/private", HubClientTest.C1).file("config.json", "{}").lfsFile("model.safetensors", weights);
      repo.token = token;
      HttpsServer cdn = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      cdn.setHttpsConfigurator(new HttpsConfigurator(TestTls.server()));
      cdn.createContext("/", hub::serveCdn);
      cdn.start();
      try {
        String cdnOrigin = "https://127.0.0.1:" + cdn.getAddress().getPort();
        hub.cdnBase(cdnOrigin);
        HttpClient http = TestTls.httpClient();
        HubClient client =
            HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("cache")).token(token).httpClient(http).build();

        Path st = client.model("acme/private").file("model.safetensors");

        assertThat(Files.readAllBytes(st)).isEqualTo(weights);
        List<FakeHub.Request> cdnRequests = hub.requestsFor("/cdn/");
        assertThat(cdnRequests).singleElement().satisfies(r -> {
          assertThat(r.host()).isEqualTo("127.0.0.1:" + cdn.getAddress().getPort());
          assertThat(r.authorization()).as("no token to the CDN").isNull();
          assertThat(r.query()).contains("X-Amz-Signature");
        });
        assertThat(hub.requestsFor("/resolve/")).singleElement().satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + token));
        assertThat(hub.requestsFor("/api/")).singleElement().satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + token));
      } finally {
        cdn.stop(0);
      }
    }
  }
}
