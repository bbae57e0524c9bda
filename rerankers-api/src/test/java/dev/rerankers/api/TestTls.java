package dev.rerankers.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A real TLS certificate for {@code localhost} (made once per run by the JDK's keytool), for an
 * https MockWebServer, and a way to make the clients built meanwhile trust it: the JDK's default
 * trust store is swapped for one holding only this certificate while {@link #trusting} runs, so
 * the rankers under test keep their production okhttp client, untouched.
 */
final class TestTls {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static Path keyStore;

  private TestTls() {}

  private static synchronized Path keyStore() {
    if (keyStore == null) {
      Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Assumptions.assumeTrue(Files.isExecutable(tool), "no keytool in this JDK: the https cases are skipped");
      try {
        Path dir = Files.createTempDirectory("rerankers-tls");
        Path p12 = dir.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(
                tool.toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", p12.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
        String out = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
          throw new IllegalStateException("keytool failed: " + out);
        }
        p12.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        keyStore = p12;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return keyStore;
  }

  /** The server side: a socket factory presenting the localhost certificate. */
  static SSLSocketFactory serverSockets() {
    try (InputStream in = Files.newInputStream(keyStore())) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code build} with the JDK's default trust store holding only the test certificate. */
  static synchronized <T> T trusting(Supplier<T> build) {
    String[] keys = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStorePassword"};
    String[] values = {keyStore().toString(), "PKCS12", new String(PASSWORD)};
    String[] previous = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      previous[i] = System.getProperty(keys[i]);
      System.setProperty(keys[i], values[i]);
    }
    try {
      return build.get();
    } finally {
      for (int i = 0; i < keys.length; i++) {
        if (previous[i] == null) {
          System.clearProperty(keys[i]);
        } else {
          System.setProperty(keys[i], previous[i]);
        }
      }
    }
  }
}
