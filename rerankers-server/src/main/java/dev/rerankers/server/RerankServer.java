package dev.rerankers.server;

import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
import dev.rerankers.Reranker;
import dev.rerankers.server.internal.ServerRuntime;
import dev.rerankers.server.internal.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Any ranker as a stateless HTTP service. It speaks Hugging Face text-embeddings-inference's
 * rerank API ({@code POST /rerank}, {@code GET /info}), Cohere's ({@code POST /v1/rerank}, {@code
 * /v2/rerank}) and a native one that keeps document ids and metadata ({@code POST
 * /rerank/{model}}); serves several models in one process; and coalesces concurrent requests into
 * shared forward passes for rankers that can mix queries ({@link Reranker#sharesBatchesAcrossQueries()}).
 * Operations get {@code GET /health}, {@code /ready}, {@code /metrics} (Prometheus) and {@code
 * /openapi.json}, bounded queues (429 with {@code Retry-After}), deadlines (504), size limits
 * (413/422), optional Bearer keys, and a graceful {@link #stop()}.
 *
 * <pre>{@code
 * RerankServer server = RerankServer.builder()
 *     .model("default", "cross-encoder:BAAI/bge-reranker-base")
 *     .model("fast", "flashrank")
 *     .port(8080)
 *     .start();                       // listens, loads and warms the models, then is ready
 * Runtime.getRuntime().addShutdownHook(new Thread(server::stop));   // SIGTERM drains
 * server.awaitStop();
 * }</pre>
 *
 * <p>Thread-safe. The server owns its models: {@link #stop()} closes them, also rankers handed to
 * {@link Builder#model(String, Reranker)}.
 */
public final class RerankServer implements AutoCloseable {
  private final ServerRuntime runtime;
  private final String host;

  private RerankServer(ServerRuntime runtime, String host) {
    this.runtime = runtime;
    this.host = host;
  }

  /** A builder with the defaults of docs/server.md. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port listened on (the chosen one when built with port 0). */
  public int port() {
    return runtime.port();
  }

  /** {@code http://host:port} (loopback when listening on every address). */
  public URI uri() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port());
  }

  /** Whether every model is loaded and warmed and the server is not stopping. */
  public boolean isReady() {
    return runtime.ready();
  }

  /** Served model names and how each runs requests: {@code batched} or {@code concurrent}. */
  public Map<String, String> models() {
    return runtime.modes();
  }

  /** Requests accepted and not yet answered. */
  public int inFlight() {
    return runtime.inFlight();
  }

  /**
   * Graceful shutdown: {@code /ready} turns 503 and new rerank requests are refused (503, {@code
   * Connection: close}); requests already accepted are answered (waiting up to the drain timeout);
   * then the listener stops and the models are closed. Idempotent; a second caller waits for the
   * first.
   */
  public void stop() {
    runtime.stop();
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStop() {
    runtime.awaitStopped();
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RerankServer[" + uri() + ", models=" + models() + "]";
  }

  /**
   * Options for {@link RerankServer}; every setter checks its value and names it. Not thread-safe.
   */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");

    private final Map<String, ServerRuntime.ModelSource> models = new LinkedHashMap<>();
    private String defaultModel;
    private String host = "0.0.0.0";
    private int port = 8080;
    private final List<String> apiKeys = new ArrayList<>();
    private long maxBodyBytes = 10L * 1024 * 1024;
    private int maxDocuments = 1000;
    private int maxDocumentChars = 100_000;
    private int queueCapacity = 256;
    private Duration maxWait = Duration.ofMillis(2);
    private int maxBatchTokens = 32_768;
    private boolean batching = true;
    private int batchWorkers = 1;
    private int concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private boolean warmup = true;
    private int maxThreads = 200;

    private Builder() {}

    /**
     * Serves a model loaded from a config string ({@link Reranker#load(String)}) under a name. The
     * first model added is the default (for TEI requests and requests without {@code model}).
     */
    public Builder model(String name, String spec) {
      if (spec == null || spec.isBlank()) {
        throw new ConfigException("model '" + name + "': the config string is empty");
      }
      return add(new ServerRuntime.ModelSource(checkName(name), spec.strip(), null));
    }

    /** Serves a ranker the caller loaded; the server closes it when it stops. */
    public Builder model(String name, Reranker ranker) {
      if (ranker == null) {
        throw new ConfigException("model '" + name + "': the ranker is null");
      }
      return add(new ServerRuntime.ModelSource(checkName(name), ranker.info().label(), ranker));
    }

    /**
     * Models from {@code --model} arguments: {@code NAME=SPEC}, or a bare {@code SPEC}: a spec that
     * is itself a valid name ({@code dense}, {@code flashrank}) is served under that name, another
     * one as {@code default} (the first) or {@code model<i>}. A name is 1-64 letters, digits, {@code
     * . _ -}; a config string cannot start with {@code NAME=} by accident (it would need a type
     * prefix first).
     */
    public Builder models(List<String> arguments) {
      for (String a : arguments) {
        int eq = a.indexOf('=');
        int colon = a.indexOf(':');
        int q = a.indexOf('?');
        boolean named = eq > 0 && (colon < 0 || eq < colon) && (q < 0 || eq < q)
            && NAME.matcher(a.substring(0, eq)).matches();
        if (named) {
          model(a.substring(0, eq), a.substring(eq + 1));
        } else if (NAME.matcher(a).matches() && !models.containsKey(a)) {
          model(a, a); // a bare family or model name ("dense", "flashrank") names itself
        } else {
          model(models.isEmpty() ? "default" : "model" + models.size(), a);
        }
      }
      return this;
    }

    private Builder add(ServerRuntime.ModelSource s) {
      if (models.containsKey(s.name())) {
        throw new ConfigException("model name '" + s.name() + "' is given twice");
      }
      models.put(s.name(), s);
      return this;
    }

    private static String checkName(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new ConfigException("model name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
      }
      return name;
    }

    /** The model TEI requests and requests without {@code model} go to; default: the first added. */
    public Builder defaultModel(String name) {
      this.defaultModel = checkName(name);
      return this;
    }

    /** The address to listen on; default {@code 0.0.0.0} (every interface, as a container needs). */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new ConfigException("host must be an address or name, got '" + host + "'");
      }
      this.host = host.strip();
      return this;
    }

    /** The port; 0 picks a free one ({@link RerankServer#port()} tells which). Default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new ConfigException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <key>} with one of these keys on every route but
     * {@code /health}, {@code /ready} and {@code /openapi.json}. Keys are checked as secrets are
     * everywhere in the library ({@link Credentials#check}) and never logged.
     */
    public Builder apiKeys(List<String> keys) {
      for (String k : keys) {
        apiKeys.add(Credentials.check("apiKey", k));
      }
      return this;
    }

    /** The largest request body; default 10 MiB (413 past it). */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /** The most documents in one request; default 1,000 (413 past it). */
    public Builder maxDocuments(int n) {
      this.maxDocuments = (int) positive("maxDocuments", n);
      return this;
    }

    /** The longest document or query, in characters; default 100,000 (413 past it). */
    public Builder maxDocumentChars(int n) {
      this.maxDocumentChars = (int) positive("maxDocumentChars", n);
      return this;
    }

    /** Requests that may wait per model; default 256. A full queue answers 429 with Retry-After. */
    public Builder queueCapacity(int n) {
      this.queueCapacity = (int) positive("queueCapacity", n);
      return this;
    }

    /** How long a batch waits for more requests after its first one arrived; default 2 ms. */
    public Builder maxWait(Duration d) {
      this.maxWait = nonNegative("maxWait", d);
      return this;
    }

    /** The most estimated tokens in one batch of coalesced requests; default 32,768. */
    public Builder maxBatchTokens(int n) {
      this.maxBatchTokens = (int) positive("maxBatchTokens", n);
      return this;
    }

    /**
     * Whether requests are coalesced for rankers that share forward passes between queries
     * (default true); false runs every request on its own under {@link #concurrency(int)}.
     */
    public Builder batching(boolean on) {
      this.batching = on;
      return this;
    }

    /**
     * Batches scored at once per model when batching; default 1 (one batch at a time uses a GPU, or
     * the CPU's cores through the engine's own threads, best; see docs/server.md for measurements).
     */
    public Builder batchWorkers(int n) {
      this.batchWorkers = (int) positive("batchWorkers", n);
      return this;
    }

    /** Parallel calls per model when requests are not batched; default the number of CPUs. */
    public Builder concurrency(int n) {
      this.concurrency = (int) positive("concurrency", n);
      return this;
    }

    /** The deadline of one request, queueing included; default 30 s (504 past it). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positiveDuration("requestTimeout", d);
      return this;
    }

    /** How long a stop waits for accepted requests; default 30 s. */
    public Builder drainTimeout(Duration d) {
      this.drainTimeout = nonNegative("drainTimeout", d);
      return this;
    }

    /** Whether local models rank one small request before the server says ready; default true. */
    public Builder warmup(boolean on) {
      this.warmup = on;
      return this;
    }

    /** Jetty's thread pool size; default 200 (requests waiting for a batch hold no thread). */
    public Builder maxThreads(int n) {
      if (n < 8) {
        throw new ConfigException("maxThreads must be >= 8, got " + n);
      }
      this.maxThreads = n;
      return this;
    }

    /**
     * Starts listening, loads and warms every model, and returns the ready server.
     *
     * @throws ConfigException without models or with an unknown default model
     * @throws dev.rerankers.RerankerException when the port is taken or a model fails to load
     *     (everything started is closed again)
     */
    public RerankServer start() {
      if (models.isEmpty()) {
        throw new ConfigException("no model to serve: add one with model(name, spec) (--model SPEC)");
      }
      String dflt = defaultModel != null ? defaultModel : models.keySet().iterator().next();
      if (!models.containsKey(dflt)) {
        throw new ConfigException("the default model '" + dflt + "' is not among the models: " + models.keySet());
      }
      Settings s = new Settings(host, port, apiKeys, maxBodyBytes, maxDocuments, maxDocumentChars, queueCapacity,
          maxWait, maxBatchTokens, batching, batchWorkers, concurrency, requestTimeout, drainTimeout, warmup, maxThreads);
      ServerRuntime runtime = new ServerRuntime(s, new ArrayList<>(models.values()), dflt);
      runtime.start();
      return new RerankServer(runtime, host);
    }

    private static long positive(String name, long v) {
      if (v < 1) {
        throw new ConfigException(name + " must be >= 1, got " + v);
      }
      return v;
    }

    private static Duration nonNegative(String name, Duration d) {
      if (d == null || d.isNegative()) {
        throw new ConfigException(name + " must be a duration >= 0, got " + d);
      }
      return d;
    }

    private static Duration positiveDuration(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ConfigException(name + " must be a positive duration, got " + d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "RerankServer.Builder[models=" + models.keySet() + ", host=" + host + ", port=" + port
          + ", apiKeys=" + apiKeys.size() + " configured]";
    }
  }
}
