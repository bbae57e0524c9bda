package dev.rerankers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for local test servers: the self-signed certificate {@code hub/test-cdn.p12} (SAN {@code
 * dns:localhost, ip:127.0.0.1}; made once with {@code keytool -genkeypair -alias cdn -keyalg EC
 * -groupname secp256r1 -ext SAN=dns:localhost,ip:127.0.0.1 -validity 36500 -storetype PKCS12
 * -storepass changeit}; it protects nothing). Both names reach a loopback server, so one server is
 * two origins: {@code https://127.0.0.1:p} and {@code https://localhost:p}.
 */
final class TestTls {
  private static final char[] PASS = "changeit".toCharArray();

  private TestTls() {}

  /** The servers' side: the key and certificate. */
  static SSLContext server() {
    try {
      KeyStore keys = keys();
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASS);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The clients' side: trusts that certificate only. */
  static SSLContext client() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("cdn", keys().getCertificate("cdn"));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP client trusting the test certificate, following no redirects (as the hub client requires). */
  static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .sslContext(client())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static KeyStore keys() throws GeneralSecurityException {
    try (InputStream in = TestTls.class.getResourceAsStream("/hub/test-cdn.p12")) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASS);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
