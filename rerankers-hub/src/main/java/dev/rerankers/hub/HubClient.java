package dev.rerankers.hub;

import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
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
  /** The default per-file deadline: this much, plus the file's size at {@link #DEADLINE_BYTES_PER_SECOND}. */
  static final Duration DEFAULT_FILE_DEADLINE_BASE = Duration.ofMinutes(10);
  /** The rate the default per-file deadline allows for (256 KiB/s, a slow 2 Mbit/s link). */
  static final long DEADLINE_BYTES_PER_SECOND = 256 * 1024;
  /** The default per-file deadline when the size is unknown. */
  static final Duration DEFAULT_UNSIZED_FILE_DEADLINE = Duration.ofHours(1);
  static final long DEFAULT_MIN_BYTES_PER_SECOND = 1024;
  static final Duration DEFAULT_STALL_WINDOW = Duration.ofSeconds(30);
  private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");

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
  private final boolean allowInsecure;
  private final Duration fileDeadline;
  private final Duration loadDeadline;
  private final long minBytesPerSecond;
  private final Duration stallWindow;
  private final Retries retries;
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
    this.allowInsecure = b.allowInsecure;
    this.fileDeadline = b.fileDeadline;
    this.loadDeadline = b.loadDeadline;
    this.minBytesPerSecond = b.minBytesPerSecond;
    this.stallWindow = b.stallWindow;
    this.retries = new Retries(maxRetries, retryBackoff);
    if (!offline && token != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      if (HubHttp.isLoopback(endpoint.getHost())) {
        LOG.log(System.Logger.Level.DEBUG, "sending the Hub token over plain http to the loopback address {0}", endpoint);
      } else if (allowInsecure) {
        LOG.log(
            System.Logger.Level.WARNING,
            "sending the Hub token in clear text to {0}, as allowInsecure asks: anyone on the network path can read it",
            endpoint);
      } else {
        throw new ConfigException(
            "refusing to send the Hugging Face token in clear text to "
                + endpoint
                + " (HF_ENDPOINT or the endpoint option): plain http is allowed with a token only for loopback"
                + " addresses. Use an https endpoint; or, on a network you trust, opt in with allowInsecure=true"
                + " (spec option), HubClient.builder().allowInsecure(true) or HF_HUB_ALLOW_INSECURE=1; or load"
                + " without a token (unset HF_TOKEN / the hfToken option, and the token file of 'hf auth login')."
                + " The token's value is not shown.");
      }
    }
    this.http =
        offline
            ? null
            : new HubHttp(
                httpClient != null ? httpClient : DefaultHttp.client(connectTimeout),
                endpoint,
                token,
                timeout,
                userAgent(),
                allowInsecure,
                new ChunkStream.Pace(minBytesPerSecond, stallWindow));
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
   * timeout from {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds). Beyond huggingface_hub's variables:
   * {@code HF_HUB_ALLOW_INSECURE} (a token over plain http to a non-loopback endpoint), {@code
   * HF_HUB_DOWNLOAD_DEADLINE} and {@code HF_HUB_LOAD_DEADLINE} (seconds), {@code
   * HF_HUB_DOWNLOAD_MIN_RATE} (bytes per second, 0 for no stall check) and {@code
   * HF_HUB_DOWNLOAD_STALL_SECONDS}.
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
    b.allowInsecure(isTrue(env.get("HF_HUB_ALLOW_INSECURE")));
    Duration timeout = seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT");
    if (timeout != null) {
      b.timeout(timeout);
    }
    Duration fileDeadline = seconds(env, "HF_HUB_DOWNLOAD_DEADLINE");
    if (fileDeadline != null) {
      b.fileDeadline(fileDeadline);
    }
    Duration loadDeadline = seconds(env, "HF_HUB_LOAD_DEADLINE");
    if (loadDeadline != null) {
      b.loadDeadline(loadDeadline);
    }
    String rate = nonBlank(env.get("HF_HUB_DOWNLOAD_MIN_RATE"));
    if (rate != null) {
      try {
        b.minBytesPerSecond(Long.parseLong(rate));
      } catch (NumberFormatException e) {
        throw new ConfigException("HF_HUB_DOWNLOAD_MIN_RATE must be a whole number of bytes per second, got '" + rate + "'");
      }
    }
    Duration window = seconds(env, "HF_HUB_DOWNLOAD_STALL_SECONDS");
    if (window != null) {
      b.stallWindow(window);
    }
    return b;
  }

  /** A variable holding a positive number of seconds, or null when unset. */
  private static Duration seconds(Map<String, String> env, String name) {
    String v = nonBlank(env.get(name));
    if (v == null) {
      return null;
    }
    double s;
    try {
      s = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number of seconds, got '" + v + "'");
    }
    if (!(s > 0) || s > 1e9) {
      throw new ConfigException(name + " must be a positive number of seconds, got '" + v + "'");
    }
    return Duration.ofMillis(Math.max(1, (long) (s * 1000)));
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
    b.allowInsecure = allowInsecure;
    b.fileDeadline = fileDeadline;
    b.loadDeadline = loadDeadline;
    b.minBytesPerSecond = minBytesPerSecond;
    b.stallWindow = stallWindow;
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

  /** How transient failures are retried: {@link Builder#maxRetries} times, waiting {@link Builder#retryBackoff} doubled. */
  Retries retries() {
    return retries;
  }

  boolean symlinks() {
    return symlinks;
  }

  boolean refreshRevisions() {
    return refreshRevisions;
  }

  /** Whether plain http is allowed beyond loopback and the same origin. */
  public boolean allowInsecure() {
    return allowInsecure;
  }

  /**
   * How long one file's download may take, retries included: the {@link Builder#fileDeadline}
   * set, else 10 minutes plus the size at 256 KiB/s (an hour when the size is unknown).
   */
  Duration fileDeadline(long size) {
    if (fileDeadline != null) {
      return fileDeadline;
    }
    if (size < 0) {
      return DEFAULT_UNSIZED_FILE_DEADLINE;
    }
    return DEFAULT_FILE_DEADLINE_BASE.plusSeconds(size / DEADLINE_BYTES_PER_SECOND);
  }

  boolean fileDeadlineSet() {
    return fileDeadline != null;
  }

  /** How long all the requests of one {@link HubRepo} may take; null for no limit. */
  Duration loadDeadline() {
    return loadDeadline;
  }

  @Override
  public String toString() {
    return "HubClient[endpoint="
        + endpoint
        + ", cacheDir="
        + cacheDir
        + ", token="
        + (token == null ? "none" : Credentials.mask(token))
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
    private boolean allowInsecure;
    private Duration fileDeadline;
    private Duration loadDeadline;
    private long minBytesPerSecond = DEFAULT_MIN_BYTES_PER_SECOND;
    private Duration stallWindow = DEFAULT_STALL_WINDOW;

    private Builder() {}

    /**
     * The Hub (or mirror) base URL, e.g. {@code https://huggingface.co}. Plain http works without
     * a token; with a token it is refused at {@link #build()} unless the host is a loopback
     * address or {@link #allowInsecure} is set, since the token would travel in clear text.
     */
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

    /**
     * The first retry's delay, doubled on each further retry up to 30 s, each wait drawn between
     * half and all of that so clients failing together spread out (default 1 s; core's {@link
     * dev.rerankers.spi.Backoff}). A server's {@code Retry-After} (seconds or an HTTP date, up to
     * 60 s) replaces it.
     */
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

    /**
     * Allow plain http where it would expose the token or the files: a token sent to a
     * non-loopback {@code http://} endpoint, and redirects to plain http on another server
     * (default false; also {@code HF_HUB_ALLOW_INSECURE=1} or the spec option {@code
     * allowInsecure=true}). A redirect from https down to http is refused even so, and the token
     * still goes to the endpoint's own origin only.
     */
    public Builder allowInsecure(boolean allowInsecure) {
      this.allowInsecure = allowInsecure;
      return this;
    }

    /**
     * The longest one file's download may take, retries and back-off included (also {@code
     * HF_HUB_DOWNLOAD_DEADLINE}, seconds). Null, the default, scales with the size: 10 minutes
     * plus the size at 256 KiB/s, or an hour when the size is unknown. When it passes, the load
     * fails with {@link HubTimeoutException}; what arrived stays in the cache for the next load.
     */
    public Builder fileDeadline(Duration fileDeadline) {
      this.fileDeadline = fileDeadline == null ? null : positive(fileDeadline, "fileDeadline");
      return this;
    }

    /**
     * The longest all the requests of one {@link HubRepo} may take together (one {@code
     * Reranker.load}: listing, HEAD requests, every file), counted from its first request (also
     * {@code HF_HUB_LOAD_DEADLINE}, seconds). Null, the default: no limit beyond each file's.
     */
    public Builder loadDeadline(Duration loadDeadline) {
      this.loadDeadline = loadDeadline == null ? null : positive(loadDeadline, "loadDeadline");
      return this;
    }

    /**
     * The stall floor: a transfer receiving fewer bytes per second than this over a whole {@link
     * #stallWindow} is cut and resumed (a transient failure, retried up to {@link #maxRetries})
     * (default 1024; 0 turns the check off; also {@code HF_HUB_DOWNLOAD_MIN_RATE}).
     */
    public Builder minBytesPerSecond(long minBytesPerSecond) {
      if (minBytesPerSecond < 0) {
        throw new ConfigException("minBytesPerSecond must be >= 0, got " + minBytesPerSecond);
      }
      this.minBytesPerSecond = minBytesPerSecond;
      return this;
    }

    /** The window the stall floor is measured over (default 30 s; also {@code HF_HUB_DOWNLOAD_STALL_SECONDS}). */
    public Builder stallWindow(Duration stallWindow) {
      this.stallWindow = positive(stallWindow, "stallWindow");
      return this;
    }

    /**
     * The client.
     *
     * @throws ConfigException when a token would be sent over plain http to a non-loopback
     *     endpoint without {@link #allowInsecure}
     */
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
          + (token == null ? "none" : Credentials.mask(token))
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
