package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LFS files redirect to a CDN on another origin over https, as on the real Hub: the redirect is
 * followed, the token goes to the Hub only, never to the CDN. The CDN is a local {@link
 * HttpsServer} with the self-signed test certificate {@code hub/test-cdn.p12} (made once with
 * {@code keytool -genkeypair -alias cdn -keyalg EC -groupname secp256r1 -ext
 * SAN=dns:localhost,ip:127.0.0.1 -validity 36500 -storetype PKCS12 -storepass changeit}; it
 * protects nothing).
 */
class CdnRedirectTest {
  @TempDir Path tmp;

  @Test
  void lfs_redirects_to_an_https_cdn_without_the_token() throws Exception {
    char[] pass = "changeit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = CdnRedirectTest.class.getResourceAsStream("/hub/test-cdn.p12")) {
      keys.load(in, pass);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pass);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("cdn", keys.getCertificate("cdn"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    String token = "hf_PrivateToken000111222333";
    try (FakeHub hub = new FakeHub()) {
      byte[] weights = FakeHub.bytes(50_000, 4);
      FakeHub.Repo repo = hub.model("acme/private", HubClientTest.C1).file("config.json", "{}").lfsFile("model.safetensors", weights);
      repo.token = token;
      HttpsServer cdn = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      cdn.setHttpsConfigurator(new HttpsConfigurator(serverTls));
      cdn.createContext("/", hub::serveCdn);
      cdn.start();
      try {
        String cdnOrigin = "https://127.0.0.1:" + cdn.getAddress().getPort();
        hub.cdnBase(cdnOrigin);
        HttpClient http =
            HttpClient.newBuilder().sslContext(clientTls).followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
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
