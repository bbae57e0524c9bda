package dev.rerankers.flashrank;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A minimal stand-in for the Hugging Face Hub on a loopback socket, serving one model repository
 * the way the Hub does for the two routes the Hub client uses: {@code GET
 * /api/models/{repo}/revision/{rev}?blobs=true} (commit and file listing with LFS sha256 and
 * sizes) and {@code GET /{repo}/resolve/{commit}/{file}} (the bytes, with {@code X-Repo-Commit}
 * and the ETag). Records every request path.
 */
final class FakeHubServer implements AutoCloseable {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private final HttpServer server;
  private final String repo;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeHubServer(String repo) throws IOException {
    this.repo = repo;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-hub");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  void put(String name, byte[] content) {
    files.put(name, content);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    requests.add(ex.getRequestMethod() + " " + path);
    try (ex) {
      if (path.equals("/api/models/" + repo + "/revision/main") || path.equals("/api/models/" + repo + "/revision/" + COMMIT)) {
        StringBuilder sb = new StringBuilder("{\"id\":\"" + repo + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[");
        String sep = "";
        for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
          sb.append(sep).append("{\"rfilename\":\"").append(f.getKey()).append("\",\"size\":").append(f.getValue().length)
              .append(",\"blobId\":\"").append(hex("SHA-1", f.getValue())).append("\",\"lfs\":{\"sha256\":\"")
              .append(hex("SHA-256", f.getValue())).append("\",\"size\":").append(f.getValue().length)
              .append(",\"pointerSize\":134}}");
          sep = ",";
        }
        send(ex, 200, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        return;
      }
      String prefix = "/" + repo + "/resolve/" + COMMIT + "/";
      if (path.startsWith(prefix) && files.containsKey(path.substring(prefix.length()))) {
        byte[] body = files.get(path.substring(prefix.length()));
        send(ex, 200, body, Map.of("X-Repo-Commit", COMMIT, "ETag", "\"" + hex("SHA-256", body) + "\"",
            "Content-Type", "application/octet-stream"));
        return;
      }
      send(ex, 404, "{\"error\":\"Entry not found\"}".getBytes(StandardCharsets.UTF_8),
          Map.of("X-Error-Code", "EntryNotFound", "Content-Type", "application/json"));
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
