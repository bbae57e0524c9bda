package dev.rerankers.monovlm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.monovlm.testing.Fixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image sources: files, bytes and base64 are read; URLs are refused unless allowed, then fetched
 * from a real local HTTP server with the size limit enforced while streaming; no request is made
 * when URLs are not allowed.
 */
class ImageLoaderTest {
  @TempDir Path dir;
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  byte[] png;

  @BeforeEach
  void start() throws IOException {
    png = Files.readAllBytes(Fixture.dir().resolve("images/a.png"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/a.png", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, png.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(png);
      }
    });
    server.createContext("/missing.png", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    server.createContext("/endless", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, 0); // chunked, no length: the limit must stop it while streaming
      try (OutputStream out = ex.getResponseBody()) {
        byte[] block = new byte[8192];
        for (int i = 0; i < 64; i++) {
          out.write(block);
        }
      } catch (IOException e) {
        // the client hung up at the limit
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void should_read_files_bytes_and_base64_and_refuse_urls_by_default() throws IOException {
    ImageLoader loader = new ImageLoader(ImageOptions.defaults());
    Path file = Files.write(dir.resolve("x.png"), png);
    assertThat(loader.read(Document.Image.fromPath(file), "d")).isEqualTo(png);
    assertThat(loader.read(Document.Image.fromBytes(png), "d")).isEqualTo(png);
    assertThat(loader.read(Document.Image.fromBase64(Base64.getEncoder().encodeToString(png)), "d")).isEqualTo(png);
    assertThatThrownBy(() -> loader.read(Document.Image.fromUrl(url("/a.png")), "docs[3] (id 9)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs[3] (id 9)")
        .hasMessageContaining("allowUrls=true");
    assertThat(requests.get()).as("no network call unless allowed").isZero();
    assertThatThrownBy(() -> loader.read(Document.Image.fromPath(dir.resolve("nope.png")), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }

  @Test
  void should_fetch_allowed_urls_within_the_size_limit() {
    ImageLoader loader = new ImageLoader(new ImageOptions(true, 100_000, 1_000_000, Duration.ofSeconds(10)));
    assertThat(loader.read(Document.Image.fromUrl(url("/a.png")), "d")).isEqualTo(png);
    assertThat(ImageDecoder.decode(loader.read(Document.Image.fromUrl(url("/a.png")), "d"), "d", 1_000_000).width())
        .isEqualTo(61);
    assertThatThrownBy(() -> loader.read(Document.Image.fromUrl(url("/missing.png")), "d"))
        .isInstanceOf(InferenceException.class).hasMessageContaining("HTTP 404");
    assertThatThrownBy(() -> loader.read(Document.Image.fromUrl(url("/endless")), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxImageBytes");
    assertThatThrownBy(() -> loader.read(Document.Image.fromUrl(URI.create("file:///etc/passwd")), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not http(s)");
    ImageLoader tiny = new ImageLoader(new ImageOptions(true, 100, 1_000_000, Duration.ofSeconds(10)));
    assertThatThrownBy(() -> tiny.read(Document.Image.fromUrl(url("/a.png")), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxImageBytes");
    assertThatThrownBy(() -> tiny.read(Document.Image.fromBytes(png), "d"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxImageBytes");
  }
}
