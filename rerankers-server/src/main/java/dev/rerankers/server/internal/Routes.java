package dev.rerankers.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every HTTP route, on Jetty's asynchronous core {@link Handler}: a request holds no thread while
 * its body arrives or while it waits for its batch. Routes: {@code POST /rerank} (TEI), {@code POST
 * /v1/rerank} and {@code /v2/rerank} (Cohere), {@code POST /rerank/{model}} (native), {@code GET
 * /info}, {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json}.
 */
final class Routes extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.server");
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String JSON = "application/json";

  private final Settings settings;
  private final Map<String, ModelSlot> slots;
  private final String defaultModel;
  private final ApiKeys keys;
  private final ServerMetrics metrics;
  private final Wire wire;
  private final byte[] openApi;
  private final String version;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Executor executor = Runnable::run;
  private volatile boolean ready;
  private volatile boolean stopping;

  Routes(Settings settings, Map<String, ModelSlot> slots, String defaultModel, ServerMetrics metrics,
      byte[] openApi, String version) {
    super(InvocationType.NON_BLOCKING);
    this.settings = settings;
    this.slots = slots;
    this.defaultModel = defaultModel;
    this.keys = new ApiKeys(settings.apiKeys());
    this.metrics = metrics;
    this.wire = new Wire(settings.maxDocuments(), settings.maxDocumentChars());
    this.openApi = openApi;
    this.version = version;
  }

  void executor(Executor e) {
    this.executor = e;
  }

  void ready(boolean r) {
    this.ready = r;
  }

  boolean ready() {
    return ready && !stopping;
  }

  /** From now on rerank requests are refused (503) and {@code /ready} says so; accepted ones go on. */
  void stopAccepting() {
    stopping = true;
  }

  /** Rerank requests accepted and not yet answered. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback, requestId(request));
    try {
      dispatch(ex);
    } catch (HttpError e) {
      ex.fail(e);
    } catch (RuntimeException e) {
      ex.fail(internal(ex, e));
    }
    return true;
  }

  private void dispatch(Exchange ex) {
    String path = ex.request.getHttpURI().getPath();
    String method = ex.request.getMethod();
    if (path == null) {
      path = "/";
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/health" -> {
        ex.route = "health";
        requireGet(method);
        ex.sendJson(200, status("ok"));
      }
      case "/ready" -> {
        ex.route = "ready";
        requireGet(method);
        ready(ex);
      }
      case "/metrics" -> {
        ex.route = "metrics";
        requireGet(method);
        authenticate(ex);
        ex.send(200, metrics.scrape().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
      }
      case "/openapi.json" -> {
        ex.route = "openapi";
        requireGet(method);
        ex.send(200, openApi, JSON);
      }
      case "/info" -> {
        ex.route = "info";
        requireGet(method);
        authenticate(ex);
        String q = ex.request.getHttpURI().getQuery();
        String name = q != null && q.startsWith("model=") ? java.net.URLDecoder.decode(q.substring(6), StandardCharsets.UTF_8) : null;
        ex.sendJson(200, info(slot(name)));
      }
      case "/rerank" -> rerank(ex, method, Wire.Dialect.TEI, null);
      case "/v1/rerank" -> rerank(ex, method, Wire.Dialect.COHERE_V1, null);
      case "/v2/rerank" -> rerank(ex, method, Wire.Dialect.COHERE_V2, null);
      default -> {
        if (path.startsWith("/rerank/") && path.indexOf('/', 8) < 0 && path.length() > 8) {
          String model = java.net.URLDecoder.decode(path.substring(8), StandardCharsets.UTF_8);
          rerank(ex, method, Wire.Dialect.NATIVE, model);
        } else {
          ex.route = "unknown";
          throw new HttpError(404, HttpError.NOT_FOUND, "no route " + Wire.cut(path, 100)
              + "; see GET /openapi.json for the routes this server has");
        }
      }
    }
  }

  private static void requireGet(String method) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new HttpError(405, HttpError.METHOD_NOT_ALLOWED, "use GET here");
    }
  }

  private void authenticate(Exchange ex) {
    if (!keys.accepts(ex.request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      // which key was sent is never said, logged or echoed
      throw new HttpError(401, HttpError.UNAUTHORIZED, "a valid API key is required: send 'Authorization: Bearer <key>'");
    }
  }

  private void ready(Exchange ex) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    boolean r = ready();
    o.put("status", stopping ? "stopping" : r ? "ready" : "loading");
    ObjectNode models = o.putObject("models");
    for (ModelSlot s : slots.values()) {
      models.put(s.name, s.loaded() ? "loaded" : "loading");
    }
    ex.sendJson(r ? 200 : 503, o);
  }

  private ModelSlot slot(String name) {
    String n = name == null || name.isEmpty() ? defaultModel : name;
    ModelSlot s = slots.get(n);
    if (s == null) {
      throw new HttpError(404, HttpError.MODEL_NOT_FOUND, "model '" + Wire.cut(n, 100) + "' is not served here; models: "
          + String.join(", ", slots.keySet()));
    }
    return s;
  }

  /** TEI's /info fields (those its clients read), plus this server's models. */
  private JsonNode info(ModelSlot s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    RerankerInfo i = s.ranker == null ? null : s.ranker.info();
    o.put("model_id", i == null ? s.name : i.model());
    o.putNull("model_sha");
    o.put("model_dtype", i == null || i.dtype() == null ? "float32" : i.dtype());
    ObjectNode reranker = o.putObject("model_type").putObject("reranker");
    reranker.putObject("id2label").put("0", "LABEL_0");
    reranker.putObject("label2id").put("LABEL_0", 0);
    o.put("max_concurrent_requests", settings.queueCapacity());
    o.put("max_input_length", s.tokenCap);
    o.put("max_batch_tokens", settings.maxBatchTokens());
    o.putNull("max_batch_requests");
    o.put("max_client_batch_size", settings.maxDocuments());
    o.put("auto_truncate", true);
    o.put("tokenization_workers", 1);
    o.put("version", version);
    o.putNull("sha");
    o.putNull("docker_label");
    o.put("model", s.name);
    o.put("model_type_rerankers", i == null ? null : i.type());
    o.put("mode", s.runner == null ? null : s.runner.mode());
    ObjectNode models = o.putObject("models");
    for (ModelSlot m : slots.values()) {
      models.put(m.name, m.ranker == null ? "loading" : m.ranker.info().label());
    }
    return o;
  }

  private void rerank(Exchange ex, String method, Wire.Dialect dialect, String pathModel) {
    ex.route = dialect.route;
    if (!method.equals("POST")) {
      throw new HttpError(405, HttpError.METHOD_NOT_ALLOWED, "use POST here");
    }
    if (stopping) {
      ex.response.getHeaders().put(HttpHeader.CONNECTION, "close");
      throw new HttpError(503, HttpError.SHUTTING_DOWN, "the server is shutting down; retry on another replica");
    }
    authenticate(ex);
    String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      throw new HttpError(415, HttpError.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json, not " + Wire.cut(type, 60));
    }
    long declared = ex.request.getLength();
    if (declared > settings.maxBodyBytes()) {
      throw HttpError.tooLarge("the body has " + declared + " bytes; this server takes at most " + settings.maxBodyBytes());
    }
    // accepted: from here on a graceful stop waits for this request's answer
    inFlight.incrementAndGet();
    ex.counted = true;
    BodyReader.read(ex.request, settings.maxBodyBytes())
        .whenComplete((body, error) -> {
          try {
            if (error != null) {
              throw bodyError(error);
            }
            Wire.Call call = wire.read(dialect, Wire.parse(body), pathModel);
            ModelSlot slot = slot(call.model());
            ex.model = slot.name;
            if (!slot.loaded()) {
              throw new HttpError(503, HttpError.NOT_READY, "model '" + slot.name + "' is still loading", 5);
            }
            RankRequest rr = new RankRequest(call.query(), call.documents());
            CompletableFuture<RankedResults> future = slot.runner.submit(rr, TokenEstimate.of(rr, slot.tokenCap));
            ex.request.addFailureListener(t -> future.cancel(false));
            long left = settings.requestTimeout().toNanos() - (System.nanoTime() - ex.start);
            future.orTimeout(Math.max(1, left), TimeUnit.NANOSECONDS)
                .whenCompleteAsync((results, failure) -> answer(ex, call, slot, results, failure), executor);
          } catch (HttpError e) {
            ex.fail(e);
          } catch (RuntimeException e) {
            ex.fail(internal(ex, e));
          }
        });
  }

  private static HttpError bodyError(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof HttpError h) {
      return h;
    }
    return new HttpError(400, HttpError.INVALID_JSON, "the request body could not be read: " + t.getClass().getSimpleName());
  }

  private void answer(Exchange ex, Wire.Call call, ModelSlot slot, RankedResults results, Throwable failure) {
    try {
      if (failure != null) {
        ex.fail(classify(ex, failure));
        return;
      }
      ex.sendJson(200, Wire.write(call, results, ex.id, slot.name));
    } catch (RuntimeException e) {
      ex.fail(internal(ex, e));
    }
  }

  private HttpError classify(Exchange ex, Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof HttpError h) {
      return h;
    }
    if (t instanceof TimeoutException) {
      return new HttpError(504, HttpError.TIMEOUT, "no answer within the request deadline of "
          + settings.requestTimeout().toMillis() + " ms (queue and scoring); retry, or send fewer documents");
    }
    if (t instanceof CancellationException) {
      return new HttpError(499, HttpError.CLIENT_CLOSED, "the client hung up before its answer");
    }
    if (t instanceof IllegalArgumentException) {
      return HttpError.validation(t.getMessage());
    }
    if (t instanceof dev.rerankers.ApiException api) {
      LOG.log(Level.WARNING, "request " + ex.id + ": upstream ranker failed: " + api.getMessage());
      return new HttpError(502, HttpError.UPSTREAM, "the model's upstream API failed (status " + api.statusCode()
          + "); request id " + ex.id);
    }
    if (t instanceof RerankerException) {
      LOG.log(Level.WARNING, "request " + ex.id + ": scoring failed", t);
      return new HttpError(500, HttpError.INTERNAL, "scoring failed; the server log has the details under request id " + ex.id);
    }
    return internal(ex, t);
  }

  private static HttpError internal(Exchange ex, Throwable t) {
    LOG.log(Level.ERROR, "request " + ex.id + ": unexpected failure", t);
    return new HttpError(500, HttpError.INTERNAL, "internal error; the server log has the details under request id " + ex.id);
  }

  private static JsonNode status(String s) {
    return JsonNodeFactory.instance.objectNode().put("status", s);
  }

  private static String requestId(Request request) {
    String given = request.getHeaders().get("X-Request-Id");
    if (given != null && SAFE_ID.matcher(given).matches()) {
      return given;
    }
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** One request and its answer: writes the body once, records metrics, ends the in-flight count. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final String id;
    final long start = System.nanoTime();
    volatile String route = "unknown";
    volatile String model = "";
    volatile boolean counted;
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    Exchange(Request request, Response response, Callback callback, String id) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.id = id;
    }

    void sendJson(int status, JsonNode body) {
      send(status, Wire.bytes(body), JSON);
    }

    void fail(HttpError e) {
      metrics.error(e.type());
      if (e.status() >= 500 && e.status() != 503) {
        LOG.log(Level.DEBUG, () -> "request " + id + " " + route + ": " + e.status() + " " + e.type());
      }
      if (e.retryAfterSeconds() > 0) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
      }
      if (e.status() == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      }
      if (request.getLength() != 0) {
        // the request body may be unread (refused before reading it): Jetty then closes the connection,
        // so tell the client not to reuse it (a client that did failed with "header parser received no bytes")
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      send(e.status(), Wire.error(e, id), JSON);
    }

    void send(int status, byte[] body, String contentType) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put("X-Request-Id", id);
      boolean head = request.getMethod().equals("HEAD");
      response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), Callback.from(
          () -> {
            callback.succeeded();
            done(status);
          },
          x -> {
            // the client went away before its answer was written: nothing else to do
            callback.failed(x);
            done(status);
          }));
    }

    private void done(int status) {
      long nanos = System.nanoTime() - start;
      metrics.request(route, model, status, nanos);
      LOG.log(Level.DEBUG, () -> "request " + id + " " + route + (model.isEmpty() ? "" : " model=" + model) + " -> "
          + status + " in " + String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6));
      if (counted) {
        inFlight.decrementAndGet();
      }
    }
  }

  /** For tests and /info: the loaded models and their runners' modes. */
  Map<String, String> modes() {
    Map<String, String> m = new LinkedHashMap<>();
    slots.forEach((k, v) -> m.put(k, v.runner == null ? "loading" : v.runner.mode()));
    return m;
  }
}
