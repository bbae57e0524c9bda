package dev.rerankers.hub;

import dev.rerankers.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A client for the Hugging Face Hub's public file routes, with a cache laid out exactly like
 * Python's {@code huggingface_hub} (so either fills it for the other).
 *
 * <pre>{@code
 * HubClient hub = HubClient.fromEnvironment();                 // HF_ENDPOINT, HF_HUB_CACHE, HF_TOKEN, ...
 * HubRepo model = hub.model("BAAI/bge-reranker-base");         // revision "main"
 * Path config = model.file("config.json");                     // downloaded once, then from the cache
 * Optional<Path> onnx = model.optionalFile("onnx/model.onnx"); // empty when the repo has none
 * }</pre>
 *
 * <p>Routes used: {@code GET {endpoint}/api/{models|datasets}/{repo}/revision/{rev}?blobs=true}
 * for the commit and file listing, and {@code GET {endpoint}/[datasets/]{repo}/resolve/{commit}/{file}}
 * for downloads (following the Hub's redirect to its CDN for LFS files). In offline mode no
 * request is ever made.
 *
 * <p>Immutable and thread-safe; build once and share. {@link #toString()} never shows the token.
 */
public final class HubClient {
  /** The public Hub, used when neither the builder nor {@code HF_ENDPOINT} sets another. */
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

  private final URI endpoint;
  private final Path cacheDir;
  private final String token;
  private final boolean offline;
  private final ProgressListener listener;
  private final HttpClient httpClient;
  private final Duration connectTimeout;
  private final Duration timeout;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final boolean symlinks;
  private final boolean refreshRevisions;
  private final HubHttp http;

  private HubClient(Builder b) {
    this.endpoint = b.endpoint;
    this.cacheDir = b.cacheDir.toAbsolutePath().normalize();
    this.token = b.token;
    this.offline = b.offline;
    this.listener = b.listener;
    this.httpClient = b.httpClient;
    this.connectTimeout = b.connectTimeout;
    this.timeout = b.timeout;
    this.maxRetries = b.maxRetries;
    this.retryBackoff = b.retryBackoff;
    this.symlinks = b.symlinks;
    this.refreshRevisions = b.refreshRevisions;
    this.http =
        offline
            ? null
            : new HubHttp(
                httpClient != null ? httpClient : DefaultHttp.client(connectTimeout),
                endpoint,
                token,
                timeout,
                userAgent());
  }

  /** A builder with the defaults: the public Hub, {@code ~/.cache/huggingface/hub}, no token, online. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client configured like Python's {@code huggingface_hub} from the environment: {@code
   * HF_ENDPOINT}; the cache from {@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else {@code
   * $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}; the token from {@code
   * HF_TOKEN}, else the file {@code HF_TOKEN_PATH} or {@code HF_HOME/token} that {@code hf auth
   * login} writes; offline when {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) is 1, ON,
   * YES or TRUE; copies instead of symlinks with {@code HF_HUB_DISABLE_SYMLINKS}; the per-request
   * timeout from {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds).
   */
  public static HubClient fromEnvironment() {
    return builderFromEnvironment(System.getenv(), System.getProperty("user.home", ".")).build();
  }

  /** The builder {@link #fromEnvironment()} fills, from the given variables; for derived clients and tests. */
  static Builder builderFromEnvironment(Map<String, String> env, String userHome) {
    Builder b = builder();
    String endpoint = nonBlank(env.get("HF_ENDPOINT"));
    if (endpoint != null) {
      b.endpoint(endpoint);
    }
    Path home = hfHome(env, userHome);
    String hubCache = nonBlank(env.get("HF_HUB_CACHE"));
    if (hubCache == null) {
      hubCache = nonBlank(env.get("HUGGINGFACE_HUB_CACHE"));
    }
    b.cacheDir(hubCache != null ? expandHome(hubCache, userHome) : home.resolve("hub"));
    String token = nonBlank(env.get("HF_TOKEN"));
    if (token == null) {
      token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
    }
    if (token == null) {
      String tokenPath = nonBlank(env.get("HF_TOKEN_PATH"));
      token = readToken(tokenPath != null ? expandHome(tokenPath, userHome) : home.resolve("token"));
    }
    b.token(token);
    b.offline(isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE")));
    b.symlinks(!isTrue(env.get("HF_HUB_DISABLE_SYMLINKS")));
    String timeout = nonBlank(env.get("HF_HUB_DOWNLOAD_TIMEOUT"));
    if (timeout != null) {
      try {
        b.timeout(Duration.ofMillis((long) (Double.parseDouble(timeout) * 1000)));
      } catch (NumberFormatException e) {
        throw new ConfigException("HF_HUB_DOWNLOAD_TIMEOUT must be a number of seconds, got '" + timeout + "'");
      }
    }
    return b;
  }

  /** A model repository at revision {@code main}. */
  public HubRepo model(String repoId) {
    return repo(RepoType.MODEL, repoId, "main");
  }

  /** A model repository at a branch, tag or commit. */
  public HubRepo model(String repoId, String revision) {
    return repo(RepoType.MODEL, repoId, revision);
  }

  /** A dataset repository at revision {@code main}. */
  public HubRepo dataset(String repoId) {
    return repo(RepoType.DATASET, repoId, "main");
  }

  /** A dataset repository at a branch, tag or commit. */
  public HubRepo dataset(String repoId, String revision) {
    return repo(RepoType.DATASET, repoId, revision);
  }

  /**
   * A repository. Nothing is fetched until a file is asked for.
   *
   * @throws ConfigException when the id or revision is malformed
   */
  public HubRepo repo(RepoType type, String repoId, String revision) {
    Objects.requireNonNull(type, "type");
    try {
      HubNames.checkRepoId(repoId);
      HubNames.checkRevision(revision);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return new HubRepo(this, type, repoId, revision);
  }

  /** The Hub endpoint, without a trailing slash. */
  public URI endpoint() {
    return endpoint;
  }

  /** The cache folder shared with Python's huggingface_hub. */
  public Path cacheDir() {
    return cacheDir;
  }

  /** Whether the network is never used. */
  public boolean offline() {
    return offline;
  }

  /** Whether a token is sent (its value is never exposed). */
  public boolean hasToken() {
    return token != null;
  }

  /** A builder holding this client's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.cacheDir = cacheDir;
    b.token = token;
    b.offline = offline;
    b.listener = listener;
    b.httpClient = httpClient;
    b.connectTimeout = connectTimeout;
    b.timeout = timeout;
    b.maxRetries = maxRetries;
    b.retryBackoff = retryBackoff;
    b.symlinks = symlinks;
    b.refreshRevisions = refreshRevisions;
    return b;
  }

  HubHttp http() {
    if (http == null) {
      throw new IllegalStateException("offline: no request may be made");
    }
    return http;
  }

  ProgressListener listener() {
    return listener;
  }

  int maxRetries() {
    return maxRetries;
  }

  Duration retryBackoff() {
    return retryBackoff;
  }

  boolean symlinks() {
    return symlinks;
  }

  boolean refreshRevisions() {
    return refreshRevisions;
  }

  @Override
  public String toString() {
    return "HubClient[endpoint="
        + endpoint
        + ", cacheDir="
        + cacheDir
        + ", token="
        + (token == null ? "none" : "********")
        + ", offline="
        + offline
        + "]";
  }

  private static String userAgent() {
    String version = "unknown";
    try (InputStream in = HubClient.class.getResourceAsStream("/dev/rerankers/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.startsWith("${")) {
          version = v;
        }
      }
    } catch (IOException e) {
      // keep "unknown"
    }
    return "rerankers-java/" + version + "; java/" + Runtime.version().feature();
  }

  private static Path hfHome(Map<String, String> env, String userHome) {
    String home = nonBlank(env.get("HF_HOME"));
    if (home != null) {
      return expandHome(home, userHome);
    }
    String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
    Path base = xdg != null ? expandHome(xdg, userHome) : Path.of(userHome, ".cache");
    return base.resolve("huggingface");
  }

  private static Path expandHome(String path, String userHome) {
    if (path.equals("~")) {
      return Path.of(userHome);
    }
    if (path.startsWith("~/")) {
      return Path.of(userHome, path.substring(2));
    }
    return Path.of(path);
  }

  private static String readToken(Path file) {
    try {
      return Files.isRegularFile(file) ? nonBlank(Files.readString(file, StandardCharsets.UTF_8)) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static boolean isTrue(String s) {
    return s != null && TRUE.contains(s.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * Settings for a {@link HubClient}; every setter validates its value and names it on failure.
   * Not thread-safe.
   */
  public static final class Builder {
    private URI endpoint = URI.create(DEFAULT_ENDPOINT);
    private Path cacheDir = Path.of(System.getProperty("user.home", "."), ".cache", "huggingface", "hub");
    private String token;
    private boolean offline;
    private ProgressListener listener = ProgressListener.logging();
    private HttpClient httpClient;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxRetries = 5;
    private Duration retryBackoff = Duration.ofSeconds(1);
    private boolean symlinks = true;
    private boolean refreshRevisions;

    private Builder() {}

    /** The Hub (or mirror) base URL, http or https, e.g. {@code https://huggingface.co}. */
    public Builder endpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String e = endpoint.strip();
      while (e.endsWith("/")) {
        e = e.substring(0, e.length() - 1);
      }
      URI uri;
      try {
        uri = new URI(e);
      } catch (URISyntaxException ex) {
        throw new ConfigException("endpoint must be an http(s) URL, got '" + endpoint + "'", ex);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new ConfigException(
            "endpoint must be an http(s) URL without user info, query or fragment, got '" + endpoint + "'");
      }
      this.endpoint = uri;
      return this;
    }

    /** The cache folder (Python's {@code HF_HUB_CACHE}); created when the first file is downloaded. */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    /** The token sent as {@code Authorization: Bearer} to the endpoint (never to a CDN); null or blank for none. */
    public Builder token(String token) {
      if (token != null && (token.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
        throw new ConfigException("token must be printable ASCII without spaces (the value is not shown)");
      }
      this.token = token == null || token.isBlank() ? null : token.strip();
      return this;
    }

    /** Never touch the network: files come from the cache or the load fails naming what is missing. */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Receives download progress; default {@link ProgressListener#logging()}. */
    public Builder progressListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The HTTP client to use (proxies, TLS, executor). It must not follow redirects itself ({@link
     * HttpClient.Redirect#NEVER}): this client follows them only to https. Default: a shared client
     * with the system proxy settings.
     */
    public Builder httpClient(HttpClient httpClient) {
      Objects.requireNonNull(httpClient, "httpClient");
      if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
        throw new ConfigException(
            "httpClient must be built with followRedirects(HttpClient.Redirect.NEVER): the hub client checks each redirect");
      }
      this.httpClient = httpClient;
      return this;
    }

    /** The connection timeout of the default HTTP client (default 10 s); ignored with {@link #httpClient}. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** How long to wait for a response's headers, and for more data during a download (default 30 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Retries after a dropped connection (resuming the file), a timeout, 429 or 5xx (default 5). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 100) {
        throw new ConfigException("maxRetries must be in [0, 100], got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The first retry's delay, doubled on each further retry up to 30 s (default 1 s). */
    public Builder retryBackoff(Duration retryBackoff) {
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      if (retryBackoff.isNegative()) {
        throw new ConfigException("retryBackoff must not be negative, got " + retryBackoff);
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /** Snapshot entries as symlinks to blobs, as huggingface_hub makes them (default), or as copies. */
    public Builder symlinks(boolean symlinks) {
      this.symlinks = symlinks;
      return this;
    }

    /**
     * Ask the Hub once per {@link HubRepo} which commit a branch or tag points to now, instead of
     * trusting the commit recorded in the cache's {@code refs/} folder (default false: a model
     * cached once loads with no request at all).
     */
    public Builder refreshRevisions(boolean refreshRevisions) {
      this.refreshRevisions = refreshRevisions;
      return this;
    }

    /** The client. */
    public HubClient build() {
      return new HubClient(this);
    }

    @Override
    public String toString() {
      return "HubClient.Builder[endpoint="
          + endpoint
          + ", cacheDir="
          + cacheDir
          + ", token="
          + (token == null ? "none" : "********")
          + ", offline="
          + offline
          + "]";
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(name + " must be positive, got " + d);
      }
      return d;
    }
  }

  /** The default HTTP client, created on first use and shared (one per connect timeout in use). */
  static final class DefaultHttp {
    private static final HttpClient STANDARD = create(DEFAULT_CONNECT_TIMEOUT);

    private DefaultHttp() {}

    static HttpClient client(Duration connectTimeout) {
      return connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT) ? STANDARD : create(connectTimeout);
    }

    private static HttpClient create(Duration connectTimeout) {
      HttpClient.Builder b =
          HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
      ProxySelector proxy = ProxySelector.getDefault();
      if (proxy != null) {
        b.proxy(proxy);
      }
      return b.build();
    }
  }
}
