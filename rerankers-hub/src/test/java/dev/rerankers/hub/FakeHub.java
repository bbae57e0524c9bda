package dev.rerankers.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A local stand-in for the Hugging Face Hub on a real socket (JDK {@link HttpServer}), serving
 * the routes and headers the real Hub sends:
 *
 * <ul>
 *   <li>{@code GET /api/{models|datasets}/{repo}/revision/{rev}[?blobs=true]}: {@code {id, sha,
 *       siblings[{rfilename, blobId, size, lfs{sha256,size,pointerSize}}]}}
 *   <li>{@code GET|HEAD /[datasets/]{repo}/resolve/{rev}/{file}}: regular files answer 200 with
 *       {@code ETag: "<git blob sha1>"}, {@code X-Repo-Commit}, Range support (206); LFS files
 *       answer 302 to {@code /cdn/<sha256>} with {@code X-Linked-Etag: "<sha256>"}, {@code
 *       X-Linked-Size}, {@code X-Repo-Commit} and the pointer's {@code ETag}
 *   <li>errors with {@code X-Error-Code} ({@code RepoNotFound}, {@code RevisionNotFound}, {@code
 *       EntryNotFound}, {@code GatedRepo}) and a JSON {@code {"error": ...}} body
 * </ul>
 *
 * plus fault injection (dropped connections, corrupted or tampered bytes, forced statuses,
 * redirects, slow or stalled transfers, oversized listings) and a log of every request. Served over
 * plain http, or over https with {@link TestTls}' self-signed certificate. Paths under {@code
 * /mirror/} serve the same routes without authentication and without the injected redirects: a
 * stand-in for another origin (a mirror or a CDN) that redirects point to.
 */
final class FakeHub implements AutoCloseable {

  /** One request as the server saw it. */
  record Request(String method, String path, String query, String authorization, String range, String host) {}

  /** A repository: files (some stored in LFS) at one commit, with branches. */
  static final class Repo {
    final String type;
    final String id;
    final String commit;
    final Map<String, String> refs = new ConcurrentHashMap<>();
    final Map<String, byte[]> files = new TreeMap<>();
    final Set<String> lfs = ConcurrentHashMap.newKeySet();
    final List<String> extraListedNames = new CopyOnWriteArrayList<>();
    volatile String token; // private repo: this bearer token is required
    volatile boolean gated;

    Repo(String type, String id, String commit) {
      this.type = type;
      this.id = id;
      this.commit = commit;
      refs.put("main", commit);
    }

    Repo file(String path, String text) {
      return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    Repo file(String path, byte[] content) {
      files.put(path, content);
      return this;
    }

    Repo lfsFile(String path, byte[] content) {
      files.put(path, content);
      lfs.add(path);
      return this;
    }

    String sha256(String path) {
      return hex("SHA-256", files.get(path));
    }

    String blobId(String path) {
      byte[] content = lfs.contains(path) ? pointer(path).getBytes(StandardCharsets.UTF_8) : files.get(path);
      return gitBlobId(content);
    }

    String pointer(String path) {
      return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(path) + "\nsize " + files.get(path).length + "\n";
    }

    /** The ETag the Hub gives the file: the sha256 for LFS files, the git blob id otherwise. */
    String etag(String path) {
      return lfs.contains(path) ? sha256(path) : blobId(path);
    }
  }

  private final HttpServer server;
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  /** Per file path: how many more responses to cut after {@code dropAfterBytes}. */
  private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
  private final Map<String, Long> dropAfterBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corruptions = new ConcurrentHashMap<>();
  private final Map<String, Integer> forcedStatus = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> forcedTimes = new ConcurrentHashMap<>();
  private volatile String forcedRetryAfter;
  private final Map<String, String> etagOverride = new ConcurrentHashMap<>();
  private final Map<String, Integer> extraBytes = new ConcurrentHashMap<>();
  private final Map<String, Long> wrongLinkedSize = new ConcurrentHashMap<>();
  private volatile long bytesPerSecond; // 0: unthrottled
  private volatile boolean ignoreRange;
  private volatile boolean listBlobs = true;
  private volatile String cdnBase;
  private volatile String redirectOverride;
  private final Map<String, UnaryOperator<byte[]>> tampered = new ConcurrentHashMap<>();
  private final List<Redirect> redirects = new CopyOnWriteArrayList<>();
  private final Map<String, long[]> trickles = new ConcurrentHashMap<>();
  private volatile long listingPadding;
  private volatile boolean chunkedListing;
  private volatile boolean closed;
  private final boolean https;

  /** An injected redirect: requests with this method (null: any) whose path contains the text answer it. */
  private record Redirect(String method, String pathPart, int status, String targetBase) {}

  static {
    // small responses otherwise wait for delayed ACKs (~40 ms each); read once, when the JDK server starts
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  FakeHub() throws IOException {
    this(null);
  }

  /** Over https with this server-side TLS context (see {@link TestTls#server()}), or plain http when null. */
  FakeHub(SSLContext tls) throws IOException {
    https = tls != null;
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls != null) {
      HttpsServer s = HttpsServer.create(at, 0);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = s;
    } else {
      server = HttpServer.create(at, 0);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-hub");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    cdnBase = url();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:54321}. */
  String url() {
    return urlAs(server.getAddress().getHostString());
  }

  /** The base URL under another host name that reaches this server, e.g. {@code https://localhost:54321}. */
  String urlAs(String host) {
    return (https ? "https://" : "http://") + host + ":" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  Repo model(String id, String commit) {
    Repo r = new Repo("models", id, commit);
    repos.put("models/" + id, r);
    return r;
  }

  Repo dataset(String id, String commit) {
    Repo r = new Repo("datasets", id, commit);
    repos.put("datasets/" + id, r);
    return r;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  /** Requests whose path contains the text. */
  List<Request> requestsFor(String pathPart) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().contains(pathPart)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The next {@code times} downloads of the file send its headers, {@code afterBytes} bytes, then cut the connection. */
  void dropConnection(String file, long afterBytes, int times) {
    dropAfterBytes.put(file, afterBytes);
    drops.put(file, new AtomicInteger(times));
  }

  /** The next {@code times} downloads of the file have one byte flipped. */
  void corrupt(String file, int times) {
    corruptions.put(file, new AtomicInteger(times));
  }

  /** Every request whose path contains the text answers this status. */
  void forceStatus(String pathPart, int status) {
    forcedStatus.put(pathPart, status);
  }

  /** The next {@code times} requests whose path contains the text answer this status. */
  void forceStatus(String pathPart, int status, int times) {
    forcedTimes.put(pathPart, new AtomicInteger(times));
    forcedStatus.put(pathPart, status);
  }

  void clearForcedStatus() {
    forcedStatus.clear();
    forcedTimes.clear();
    forcedRetryAfter = null;
  }

  /** Forced statuses carry this {@code Retry-After} header (seconds or an HTTP date); null for none. */
  void retryAfter(String value) {
    forcedRetryAfter = value;
  }

  /** The resolve route of a regular file answers with this ETag header instead of its git blob id. */
  void etag(String file, String header) {
    etagOverride.put(file, header);
  }

  /** Downloads of the file send this many bytes more than it has (with a matching Content-Length). */
  void sendExtraBytes(String file, int extra) {
    extraBytes.put(file, extra);
  }

  /** The resolve route announces this X-Linked-Size for the file. */
  void announceLinkedSize(String file, long size) {
    wrongLinkedSize.put(file, size);
  }

  void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  void ignoreRange(boolean ignore) {
    this.ignoreRange = ignore;
  }

  /** Whether the listing carries blob metadata when asked with {@code blobs=true}. */
  void listBlobs(boolean list) {
    this.listBlobs = list;
  }

  /** LFS redirects go to {@code <base>/cdn/<sha256>}. */
  void cdnBase(String base) {
    this.cdnBase = base;
  }

  /** LFS redirects go to exactly this Location. */
  void redirectLfsTo(String location) {
    this.redirectOverride = location;
  }

  /**
   * The file is served with other bytes than the listing and its ETag describe (a tampering mirror
   * or a man in the middle): GET bodies, and the sizes HEAD announces, come from {@code change}.
   */
  void tamper(String file, UnaryOperator<byte[]> change) {
    tampered.put(file, change);
  }

  /**
   * Requests with this method (null: any) whose path contains {@code pathPart} answer {@code
   * status} with {@code Location: <targetBase>/mirror<path>[?query]}; with a null {@code
   * targetBase}, {@code Location} is the request's own path (a redirect loop).
   */
  void redirect(String method, String pathPart, int status, String targetBase) {
    redirects.add(new Redirect(method, pathPart, status, targetBase));
  }

  void clearRedirects() {
    redirects.clear();
  }

  /** Downloads of the file send headers, then {@code chunk} bytes after every pause of {@code pauseMillis}. */
  void trickle(String file, int chunk, long pauseMillis) {
    trickles.put(file, new long[] {chunk, pauseMillis});
  }

  /** Downloads of the file go at full speed again. */
  void untrickle(String file) {
    trickles.remove(file);
  }

  /**
   * The revision listing carries this many bytes of white space more (an oversized answer), with
   * a Content-Length, or chunked (no length announced).
   */
  void padListing(long bytes, boolean chunked) {
    this.listingPadding = bytes;
    this.chunkedListing = chunked;
  }

  /** Serves {@code /cdn/<sha256>} for another server (a CDN on another origin). */
  void serveCdn(HttpExchange ex) throws IOException {
    handle(ex);
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
  }

  // ---------------------------------------------------------------------------------------------

  private static final Pattern TREE = Pattern.compile("/api/(models|datasets)/(.+?)/tree/([^/]+)(/.*)?");
  private static final Pattern API = Pattern.compile("/api/(models|datasets)/(.+)/revision/([^/]+)");
  private static final Pattern RESOLVE = Pattern.compile("/(datasets/)?(.+?)/resolve/([^/]+)/(.+)");
  private static final Pattern CDN = Pattern.compile("/cdn/([0-9a-f]{64})");

  private void handle(HttpExchange ex) throws IOException {
    String fullPath = ex.getRequestURI().getRawPath();
    boolean mirror = fullPath.startsWith("/mirror/");
    String rawPath = mirror ? fullPath.substring("/mirror".length()) : fullPath;
    requests.add(
        new Request(
            ex.getRequestMethod(),
            fullPath,
            ex.getRequestURI().getRawQuery(),
            ex.getRequestHeaders().getFirst("Authorization"),
            ex.getRequestHeaders().getFirst("Range"),
            ex.getRequestHeaders().getFirst("Host")));
    try {
      if (mirror) {
        ex.setAttribute("mirror", Boolean.TRUE);
      }
      for (Redirect r : mirror ? List.<Redirect>of() : redirects) {
        if ((r.method() == null || r.method().equals(ex.getRequestMethod())) && rawPath.contains(r.pathPart())) {
          String query = ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery();
          String location = r.targetBase() == null ? rawPath + query : r.targetBase() + "/mirror" + rawPath + query;
          ex.getResponseHeaders().set("Location", location);
          ex.sendResponseHeaders(r.status(), -1);
          return;
        }
      }
      for (Map.Entry<String, Integer> f : mirror ? Map.<String, Integer>of().entrySet() : forcedStatus.entrySet()) {
        AtomicInteger times = forcedTimes.get(f.getKey());
        if (rawPath.contains(f.getKey()) && (times == null || times.getAndDecrement() > 0)) {
          if (forcedRetryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", forcedRetryAfter);
          }
          error(ex, f.getValue(), null, "forced failure", null);
          return;
        }
      }
      Matcher m;
      if ((m = TREE.matcher(rawPath)).matches()) {
        tree(ex, m.group(1), m.group(2), decode(m.group(3)), m.group(4) == null ? "" : decode(m.group(4).substring(1)));
      } else if ((m = API.matcher(rawPath)).matches()) {
        api(ex, m.group(1), m.group(2), decode(m.group(3)));
      } else if ((m = CDN.matcher(rawPath)).matches()) {
        cdn(ex, m.group(1));
      } else if ((m = RESOLVE.matcher(rawPath)).matches()) {
        resolve(ex, m.group(1) != null ? "datasets" : "models", m.group(2), decode(m.group(3)), decode(m.group(4)));
      } else {
        error(ex, 404, null, "no route", null);
      }
    } finally {
      ex.close();
    }
  }

  private void api(HttpExchange ex, String type, String id, String rev) throws IOException {
    Repo repo = repos.get(type + "/" + id);
    if (!authorized(ex, repo)) {
      return;
    }
    String commit = commitOf(repo, rev);
    if (commit == null) {
      error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev, null);
      return;
    }
    boolean blobs = listBlobs && ex.getRequestURI().getRawQuery() != null && ex.getRequestURI().getRawQuery().contains("blobs=true");
    StringBuilder json = new StringBuilder();
    json.append("{\"_id\":\"0123\",\"id\":\"").append(repo.id).append("\",\"sha\":\"").append(commit).append("\",\"siblings\":[");
    String sep = "";
    for (String path : repo.files.keySet()) {
      json.append(sep).append("{\"rfilename\":").append(quote(path));
      if (blobs) {
        json.append(",\"blobId\":\"").append(repo.blobId(path)).append("\",\"size\":").append(repo.files.get(path).length);
        if (repo.lfs.contains(path)) {
          json.append(",\"lfs\":{\"sha256\":\"").append(repo.sha256(path)).append("\",\"size\":")
              .append(repo.files.get(path).length).append(",\"pointerSize\":").append(repo.pointer(path).length()).append('}');
        }
      }
      json.append('}');
      sep = ",";
    }
    for (String hostile : repo.extraListedNames) {
      json.append(sep).append("{\"rfilename\":").append(quote(hostile)).append(",\"blobId\":\"")
          .append(gitBlobId(new byte[] {1})).append("\",\"size\":1}");
      sep = ",";
    }
    json.append("]}");
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    long padding = listingPadding;
    ex.sendResponseHeaders(200, chunkedListing ? 0 : body.length + padding);
    OutputStream out = ex.getResponseBody();
    byte[] spaces = new byte[1 << 16];
    java.util.Arrays.fill(spaces, (byte) ' ');
    for (long sent = 0; sent < padding; sent += spaces.length) {
      out.write(spaces, 0, (int) Math.min(spaces.length, padding - sent));
    }
    out.write(body);
  }

  /** {@code /api/{type}/{repo}/tree/{rev}[/{path}]?recursive=true}, the route huggingface_hub's snapshot_download lists with. */
  private void tree(HttpExchange ex, String type, String id, String rev, String under) throws IOException {
    Repo repo = repos.get(type + "/" + id);
    if (!authorized(ex, repo)) {
      return;
    }
    if (commitOf(repo, rev) == null) {
      error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev, null);
      return;
    }
    String prefix = under.isEmpty() ? "" : under + "/";
    Set<String> dirs = new java.util.TreeSet<>();
    StringBuilder json = new StringBuilder("[");
    String sep = "";
    for (String path : repo.files.keySet()) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      for (int i = path.indexOf('/', prefix.length()); i >= 0; i = path.indexOf('/', i + 1)) {
        dirs.add(path.substring(0, i));
      }
      json.append(sep).append("{\"type\":\"file\",\"oid\":\"").append(repo.blobId(path)).append("\",\"size\":")
          .append(repo.files.get(path).length).append(",\"path\":").append(quote(path));
      if (repo.lfs.contains(path)) {
        json.append(",\"lfs\":{\"oid\":\"").append(repo.sha256(path)).append("\",\"size\":")
            .append(repo.files.get(path).length).append(",\"pointerSize\":").append(repo.pointer(path).length()).append('}');
      }
      json.append('}');
      sep = ",";
    }
    for (String d : dirs) {
      json.append(sep).append("{\"type\":\"directory\",\"oid\":\"").append(gitBlobId(d.getBytes(StandardCharsets.UTF_8)))
          .append("\",\"size\":0,\"path\":").append(quote(d)).append('}');
    }
    json.append(']');
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private void resolve(HttpExchange ex, String type, String id, String rev, String path) throws IOException {
    Repo repo = repos.get(type + "/" + id);
    if (!authorized(ex, repo)) {
      return;
    }
    String commit = commitOf(repo, rev);
    if (commit == null) {
      error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev, null);
      return;
    }
    ex.getResponseHeaders().set("X-Repo-Commit", commit);
    byte[] content = repo.files.get(path);
    if (content == null) {
      error(ex, 404, "EntryNotFound", path + " does not exist on \"" + rev + "\"", commit);
      return;
    }
    if (repo.lfs.contains(path)) {
      String sha = repo.sha256(path);
      ex.getResponseHeaders().set("ETag", "\"" + repo.blobId(path) + "\"");
      ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
      ex.getResponseHeaders().set("X-Linked-Size", String.valueOf(wrongLinkedSize.getOrDefault(path, (long) served(path, content).length)));
      String location = redirectOverride != null ? redirectOverride : cdnBase + "/cdn/" + sha + "?X-Amz-Signature=abc123&file=" + path.replace('/', '_');
      ex.getResponseHeaders().set("Location", location);
      ex.sendResponseHeaders(302, -1);
      return;
    }
    ex.getResponseHeaders().set("ETag", etagOverride.getOrDefault(path, "\"" + repo.blobId(path) + "\""));
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(served(path, content).length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    serve(ex, path, content);
  }

  private void cdn(HttpExchange ex, String sha) throws IOException {
    for (Repo repo : repos.values()) {
      for (String path : repo.lfs) {
        if (repo.sha256(path).equals(sha)) {
          serve(ex, path, repo.files.get(path));
          return;
        }
      }
    }
    error(ex, 404, null, "no such object", null);
  }

  private byte[] served(String path, byte[] content) {
    UnaryOperator<byte[]> change = tampered.get(path);
    return change == null ? content : change.apply(content.clone());
  }

  private void serve(HttpExchange ex, String path, byte[] content) throws IOException {
    byte[] data = served(path, content);
    Integer extra = extraBytes.get(path);
    if (extra != null) {
      data = java.util.Arrays.copyOf(content, content.length + extra);
    }
    AtomicInteger corrupt = corruptions.get(path);
    if (corrupt != null && corrupt.getAndDecrement() > 0) {
      data = data.clone();
      data[data.length / 2] ^= 0x5a;
    }
    int start = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    if (range != null && !ignoreRange) {
      Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (!m.matches()) {
        error(ex, 400, null, "bad range", null);
        return;
      }
      start = Integer.parseInt(m.group(1));
      if (start >= data.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
      ex.sendResponseHeaders(206, data.length - start);
    } else {
      ex.sendResponseHeaders(200, data.length);
    }
    OutputStream out = ex.getResponseBody();
    long cutAt = Long.MAX_VALUE;
    AtomicInteger drop = drops.get(path);
    if (drop != null && drop.getAndDecrement() > 0) {
      cutAt = dropAfterBytes.get(path);
    }
    int pos = start;
    int chunk = 8192;
    long[] trickle = trickles.get(path);
    if (trickle != null) {
      chunk = (int) trickle[0];
    }
    while (pos < data.length) {
      if (trickle != null) {
        out.flush();
        if (!pause(trickle[1])) {
          return;
        }
      }
      int n = Math.min(chunk, data.length - pos);
      if (pos - start + n > cutAt) {
        n = (int) (cutAt - (pos - start));
        out.write(data, pos, n);
        out.flush();
        // cut the connection mid-body, as a network failure would
        throw new IOException("fake hub: connection dropped on purpose after " + cutAt + " bytes");
      }
      out.write(data, pos, n);
      pos += n;
      if (bytesPerSecond > 0) {
        out.flush();
        try {
          Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Sleeps unless the server closes first; false when it closed. */
  private boolean pause(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    try {
      while (!closed && System.nanoTime() < end) {
        Thread.sleep(Math.min(20, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return !closed;
  }

  private boolean authorized(HttpExchange ex, Repo repo) throws IOException {
    if (repo != null && ex.getAttribute("mirror") != null) {
      return true;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (repo == null || (repo.token != null && !("Bearer " + repo.token).equals(auth))) {
      // like the Hub: unknown and private repos look the same without a valid token;
      // this body echoes the Authorization header, as a careless proxy might
      error(ex, 401, "RepoNotFound", "Repository Not Found (you sent: " + auth + ")", null);
      return false;
    }
    if (repo.gated) {
      error(ex, 403, "GatedRepo", "Access to model " + repo.id + " is restricted and you are not in the authorized list.", null);
      return false;
    }
    return true;
  }

  private static String commitOf(Repo repo, String rev) {
    if (rev.equals(repo.commit)) {
      return repo.commit;
    }
    return repo.refs.get(rev);
  }

  private static void error(HttpExchange ex, int status, String code, String message, String commit) throws IOException {
    if (code != null) {
      ex.getResponseHeaders().set("X-Error-Code", code);
    }
    if (commit != null) {
      ex.getResponseHeaders().set("X-Repo-Commit", commit);
    }
    byte[] body = ("{\"error\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    return dev.rerankers.json.Json.quote(s);
  }

  static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** git's blob id: SHA-1 of "blob <size>\0" + content. */
  static String gitBlobId(byte[] content) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(md.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic pseudo-random bytes. */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }
}
