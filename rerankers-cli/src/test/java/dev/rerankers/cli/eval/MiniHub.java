package dev.rerankers.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rerankers.hub.HubClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server on the loopback address answering the two Hugging Face Hub routes the Hub
 * client uses for dataset repositories, for plain (non-LFS) files: {@code GET
 * /api/datasets/{repo}/revision/{rev}} (listing with git blob ids and sizes) and {@code GET
 * /datasets/{repo}/resolve/{commit}/{file}} (with {@code ETag} and {@code X-Repo-Commit}); unknown
 * repositories answer 401 {@code RepoNotFound}, as the Hub does. (Core's fuller FakeHub is not in
 * its test-jar.)
 */
final class MiniHub implements AutoCloseable {
  private static final Pattern API = Pattern.compile("/api/datasets/(.+)/revision/([^/]+)");
  private static final Pattern RESOLVE = Pattern.compile("/datasets/(.+?)/resolve/([^/]+)/(.+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  MiniHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mini-hub");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Publishes a dataset repository with these files. */
  void dataset(String id, Map<String, byte[]> files) {
    repos.put(id, new TreeMap<>(files));
  }

  /** A Hub client of this server with its own cache. */
  HubClient client(Path cache) {
    return HubClient.builder()
        .endpoint("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort())
        .cacheDir(cache)
        .retryBackoff(Duration.ZERO)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  /** Request paths starting with the prefix. */
  int requests(String prefix) {
    return (int) requests.stream().filter(p -> p.startsWith(prefix)).count();
  }

  static String commitOf(String id) {
    return hex("SHA-1", ("commit of " + id).getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    requests.add(path);
    try (ex) {
      Matcher m;
      if ((m = API.matcher(path)).matches()) {
        Map<String, byte[]> files = repos.get(m.group(1));
        if (files == null) {
          error(ex, 401, "RepoNotFound", "Repository Not Found");
          return;
        }
        List<Map<String, Object>> siblings = new ArrayList<>();
        files.forEach((name, content) -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("rfilename", name);
          s.put("blobId", gitBlobId(content));
          s.put("size", content.length);
          siblings.add(s);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", m.group(1));
        body.put("sha", commitOf(m.group(1)));
        body.put("siblings", siblings);
        send(ex, 200, JSON.writeValueAsBytes(body), "application/json");
      } else if ((m = RESOLVE.matcher(path)).matches()) {
        Map<String, byte[]> files = repos.get(m.group(1));
        if (files == null) {
          error(ex, 401, "RepoNotFound", "Repository Not Found");
          return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", commitOf(m.group(1)));
        byte[] content = files.get(m.group(3));
        if (content == null) {
          error(ex, 404, "EntryNotFound", m.group(3) + " does not exist");
          return;
        }
        ex.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
        if (ex.getRequestMethod().equals("HEAD")) {
          ex.getResponseHeaders().set("Content-Length", String.valueOf(content.length));
          ex.sendResponseHeaders(200, -1);
          return;
        }
        send(ex, 200, content, "application/octet-stream");
      } else {
        error(ex, 404, null, "no route");
      }
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    if (code != null) {
      ex.getResponseHeaders().set("X-Error-Code", code);
    }
    byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    send(ex, status, body, "application/json");
  }

  /** git's blob id: SHA-1 of "blob <size>\0" + content. */
  static String gitBlobId(byte[] content) {
    byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + content.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(content, 0, all, header.length, content.length);
    return hex("SHA-1", all);
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
