package dev.rerankers.api.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The resilient HTTP engine of one ranker: posts JSON with okhttp's asynchronous calls (no thread
 * blocked per request), retries the failures {@link Failure#retriable()} calls transient (408, 429,
 * 5xx, I/O) with exponential back-off and jitter (honouring {@code Retry-After}), enforces a
 * per-attempt timeout and an overall deadline, keeps a circuit breaker per endpoint, follows
 * redirects only as {@link RedirectPolicy} allows, and turns failures into the typed exceptions of
 * {@code dev.rerankers.api}, never quoting the API key.
 *
 * <p>Each engine owns its okhttp client: a dispatcher bounded to {@code maxConcurrency} requests in
 * flight (more wait in okhttp's queue), a connection pool of the same size, daemon threads that end
 * after 30 s idle, and one timer thread for back-offs and deadlines. {@link #close()} cancels what
 * is in flight, fails what waits, and stops the threads. Thread-safe.
 */
final class HttpEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpEngine.class.getName());
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  /** Answers larger than this are refused rather than buffered. */
  static final long MAX_BODY_BYTES = 32L << 20;

  /** A parser of a successful answer; throws {@link BadAnswer} when it is not understood. */
  interface Parser<T> {
    T parse(byte[] body);
  }

  /** A parsed answer and how many attempts it took. */
  record Answer<T>(T value, int attempts) {}

  private final String provider;
  private final ApiSettings settings;
  private final Secret key;
  private final String keyHint;
  private final OkHttpClient client;
  private final ThreadPoolExecutor httpThreads;
  private final ScheduledThreadPoolExecutor timer;
  private final RetryPolicy retry;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Set<Exchange<?>> live = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param provider the provider name for messages and thread names
   * @param key the API key, or {@code null}
   * @param keyHint how to set the key, for messages, e.g. {@code "the apiKey option or COHERE_API_KEY"}
   */
  HttpEngine(String provider, ApiSettings settings, Secret key, String keyHint) {
    this.provider = provider;
    this.settings = settings;
    this.key = key;
    this.keyHint = keyHint;
    this.retry = new RetryPolicy(settings.initialBackoff(), settings.maxBackoff());
    this.httpThreads =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            daemonThreads("rerankers-api-" + provider + "-http-"));
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("rerankers-api-" + provider + "-timer-"));
    this.timer.setRemoveOnCancelPolicy(true);
    // An idle timer thread ends after 30 s, so a ranker that is never closed leaves no thread behind.
    this.timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    this.timer.allowCoreThreadTimeOut(true);
    Dispatcher dispatcher = new Dispatcher(httpThreads);
    dispatcher.setMaxRequests(settings.maxConcurrency());
    dispatcher.setMaxRequestsPerHost(settings.maxConcurrency());
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(Math.max(5, settings.maxConcurrency()), 5, TimeUnit.MINUTES))
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .writeTimeout(settings.readTimeout())
            .callTimeout(settings.attemptTimeout())
            // Our own retry policy decides, and counts, every retry.
            .retryOnConnectionFailure(false)
            // okhttp would follow redirects to any origin, re-sending headers such as Api-Key there
            // (it strips only Authorization) and https to http; RedirectPolicy decides instead.
            .followRedirects(false)
            .followSslRedirects(false)
            .addInterceptor(new RedirectPolicy())
            .build();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  ApiSettings settings() {
    return settings;
  }

  /** The breaker of an endpoint (created closed on first use). */
  CircuitBreaker breaker(HttpUrl url) {
    return breakers.computeIfAbsent(
        endpointKey(url),
        k -> new CircuitBreaker(settings.breakerThreshold(), settings.breakerCooldown(), System::nanoTime));
  }

  /** Requests in flight or queued in okhttp, plus exchanges waiting for a retry: 0 when idle. */
  int pending() {
    return client.dispatcher().runningCallsCount() + client.dispatcher().queuedCallsCount() + live.size();
  }

  /**
   * Posts a JSON body and parses the answer, retrying as configured, finishing by {@code
   * deadlineNanos} (a {@link System#nanoTime()} instant) at the latest. The future fails with the
   * typed exceptions of {@code dev.rerankers.api}; cancelling it cancels the request in flight.
   */
  <T> CompletableFuture<Answer<T>> post(
      HttpUrl url, Headers headers, byte[] body, long deadlineNanos, Parser<T> parser) {
    Request request =
        new Request.Builder().url(url).headers(headers).post(RequestBody.create(body, JSON)).build();
    Exchange<T> exchange = new Exchange<>(request, deadlineNanos, parser, breaker(url), "POST " + endpointKey(url));
    exchange.start();
    return exchange.result;
  }

  /** The URL without query or credentials, as messages show it. */
  static String endpointKey(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).username("").password("").build().toString();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Exchange<?> e : live) {
      e.fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker was closed while the call was pending", null, null), "");
    }
    client.dispatcher().cancelAll();
    timer.shutdownNow();
    httpThreads.shutdown();
    client.connectionPool().evictAll();
  }

  /**
   * Posts like {@link #post}, running the attempts and back-offs on the calling thread (the
   * synchronous {@code rank}: no hand-off to okhttp's threads, and so not bounded by {@code
   * maxConcurrency}). Same retries, deadline, breaker and exceptions.
   */
  <T> Answer<T> postBlocking(HttpUrl url, Headers headers, byte[] body, long deadlineNanos, Parser<T> parser) {
    Request request =
        new Request.Builder().url(url).headers(headers).post(RequestBody.create(body, JSON)).build();
    CircuitBreaker breaker = breaker(url);
    String where = "POST " + endpointKey(url);
    int attempts = 0;
    Failure last = null;
    while (true) {
      if (closed.get()) {
        throw new Failure(Failure.Kind.CONNECTION, 0, "the ranker is closed", null, null)
            .toException(provider, where, keyHint, attempts == 0 ? "no request sent" : outcome(attempts, null));
      }
      if (!breaker.tryAcquire()) {
        throw circuitOpen(breaker, last).toException(provider, where, keyHint,
            attempts == 0 ? "no request sent" : outcome(attempts, null));
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        breaker.onAbandoned();
        throw deadlinePassed(last).toException(provider, where, keyHint,
            attempts == 0 ? "no request sent" : outcome(attempts, null));
      }
      attempts++;
      Call call = client.newCall(request);
      call.timeout().timeout(Math.min(settings.attemptTimeout().toNanos(), remaining), TimeUnit.NANOSECONDS);
      Attempt<T> a;
      try (Response response = call.execute()) {
        a = judge(response, parser, breaker);
      } catch (IOException e) {
        a = judgeIo(e, breaker);
      }
      if (a.failure() == null) {
        return new Answer<>(a.value(), attempts);
      }
      last = a.failure();
      Next next = next(a.failure(), attempts, deadlineNanos, where);
      if (next.failWith() != null) {
        throw a.failure().toException(provider, where, keyHint, next.failWith());
      }
      try {
        TimeUnit.NANOSECONDS.sleep(next.delay().toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(Failure.Kind.CONNECTION, 0, "interrupted while waiting to retry", null, e)
            .toException(provider, where, keyHint, outcome(attempts, null));
      }
    }
  }

  /** What one attempt ended with: a value, or a failure (the breaker has been told either way). */
  private record Attempt<T>(T value, Failure failure) {}

  /** After a failed attempt: retry after {@code delay}, or give up with the outcome text {@code failWith}. */
  private record Next(Duration delay, String failWith) {}

  private <T> Attempt<T> judge(Response response, Parser<T> parser, CircuitBreaker breaker) {
    int code = response.code();
    byte[] body;
    try {
      body = read(response.body());
    } catch (BadAnswerIo e) {
      // Over the size limit: the answer came, and the same request would bring it again.
      Failure f = Failure.malformed(code, e.getMessage(), null, key);
      breaker.onFailure(f.summary());
      return new Attempt<>(null, f);
    } catch (IOException e) {
      return judgeIo(e, breaker);
    }
    if (code >= 200 && code < 300) {
      try {
        T value = parser.parse(body);
        breaker.onSuccess();
        return new Attempt<>(value, null);
      } catch (BadAnswer e) {
        Failure f = Failure.malformed(code, e.getMessage(), e, key);
        breaker.onFailure(f.summary());
        return new Attempt<>(null, f);
      } catch (RuntimeException e) {
        Failure f = Failure.malformed(code, "the answer cannot be read: " + e, e, key);
        breaker.onFailure(f.summary());
        return new Attempt<>(null, f);
      }
    }
    Duration retryAfter =
        RetryPolicy.retryAfter(response.header("retry-after-ms"), response.header("Retry-After"), Instant.now());
    Failure f = Failure.fromStatus(code, body, retryAfter, key);
    if (f.endpointUnhealthy()) {
      breaker.onFailure(f.summary());
    } else {
      breaker.onSuccess();
    }
    return new Attempt<>(null, f);
  }

  private <T> Attempt<T> judgeIo(IOException e, CircuitBreaker breaker) {
    Failure f = Failure.fromIo(e, key);
    if (f.endpointUnhealthy()) {
      breaker.onFailure(f.summary());
    } else {
      breaker.onSuccess(); // a refused redirect: the endpoint answered
    }
    return new Attempt<>(null, f);
  }

  private Next next(Failure f, int n, long deadline, String where) {
    if (!f.retriable()) {
      return new Next(null, outcome(n, null));
    }
    if (n > settings.maxRetries()) {
      return new Next(null, outcome(n, "no retries left, maxRetries=" + settings.maxRetries()));
    }
    Duration delay;
    if (f.retryAfter() != null) {
      if (f.retryAfter().compareTo(settings.maxRetryAfter()) > 0) {
        return new Next(null, outcome(n, "not retried: Retry-After " + Durations.format(f.retryAfter())
            + " exceeds maxRetryAfter " + Durations.format(settings.maxRetryAfter())));
      }
      delay = f.retryAfter();
    } else {
      delay = retry.backoff(n);
    }
    if (delay.toNanos() >= deadline - System.nanoTime()) {
      return new Next(null, outcome(n, "not retried: the next attempt, in " + Durations.format(delay)
          + ", would pass the deadline (timeout=" + Durations.format(settings.timeout()) + ")"));
    }
    LOG.log(
        Level.INFO,
        "{0}: {1} {2}; retrying in {3} (attempt {4} of {5})",
        provider, where, f.summary(), Durations.format(delay), n + 1, settings.maxRetries() + 1);
    return new Next(delay, null);
  }

  private static Failure circuitOpen(CircuitBreaker breaker, Failure prev) {
    String lastFailure = breaker.lastFailure();
    return new Failure(
        Failure.Kind.CIRCUIT_OPEN, 0,
        "circuit breaker open after " + breaker.threshold() + " consecutive failures of this endpoint; calls fail fast for "
            + Durations.format(breaker.remainingOpen()) + " more"
            + (lastFailure.isEmpty() ? "" : "; last failure: " + lastFailure)
            + ". Use Reranker.withFallback(...) to answer from another ranker meanwhile",
        null, prev == null ? null : prev.cause());
  }

  private Failure deadlinePassed(Failure prev) {
    return new Failure(
        Failure.Kind.TIMEOUT, 0,
        "no answer within the call's deadline (timeout=" + Durations.format(settings.timeout()) + ")"
            + (prev == null ? "" : "; last failure: " + prev.summary()),
        null, prev == null ? null : prev.cause());
  }

  /** One asynchronous logical request: its attempts, back-offs and deadline. */
  private final class Exchange<T> {
    final CompletableFuture<Answer<T>> result = new CompletableFuture<>();
    final Request request;
    final long deadline;
    final Parser<T> parser;
    final CircuitBreaker breaker;
    final String where;
    final AtomicInteger attempts = new AtomicInteger();
    volatile Call inFlight;
    volatile ScheduledFuture<?> deadlineTask;
    volatile Failure last;

    Exchange(Request request, long deadline, Parser<T> parser, CircuitBreaker breaker, String where) {
      this.request = request;
      this.deadline = deadline;
      this.parser = parser;
      this.breaker = breaker;
      this.where = where;
    }

    void start() {
      live.add(this);
      result.whenComplete(
          (a, e) -> {
            live.remove(this);
            ScheduledFuture<?> t = deadlineTask;
            if (t != null) {
              t.cancel(false);
            }
            Call c = inFlight;
            if (e != null && c != null) {
              c.cancel();
            }
          });
      if (closed.get()) {
        fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker is closed", null, null), "no request sent");
        return;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        fail(new Failure(Failure.Kind.TIMEOUT, 0, "the call's deadline passed before this request could start", null, null),
            "no request sent");
        return;
      }
      try {
        deadlineTask = timer.schedule(this::onDeadline, remaining, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker is closed", null, e), "no request sent");
        return;
      }
      attempt();
    }

    void attempt() {
      if (result.isDone()) {
        return;
      }
      if (!breaker.tryAcquire()) {
        fail(circuitOpen(breaker, last), attempts.get() == 0 ? "no request sent" : outcome(attempts.get(), null));
        return;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        breaker.onAbandoned();
        onDeadline();
        return;
      }
      attempts.incrementAndGet();
      Call call = client.newCall(request);
      call.timeout().timeout(Math.min(settings.attemptTimeout().toNanos(), remaining), TimeUnit.NANOSECONDS);
      inFlight = call;
      call.enqueue(
          new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
              if (result.isDone()) {
                breaker.onAbandoned(); // cancelled by the deadline or the caller
                return;
              }
              settle(judgeIo(e, breaker));
            }

            @Override
            public void onResponse(Call c, Response response) {
              try (response) {
                if (result.isDone()) {
                  breaker.onAbandoned();
                  return;
                }
                settle(judge(response, parser, breaker));
              } catch (RuntimeException e) {
                // Never leave the future hanging, whatever happened on okhttp's thread.
                breaker.onAbandoned();
                fail(Failure.malformed(0, "the answer cannot be handled: " + e, e, key), outcome(attempts.get(), null));
              }
            }
          });
    }

    void settle(Attempt<T> a) {
      if (a.failure() == null) {
        result.complete(new Answer<>(a.value(), attempts.get()));
        return;
      }
      last = a.failure();
      Next next = next(a.failure(), attempts.get(), deadline, where);
      if (next.failWith() != null) {
        fail(a.failure(), next.failWith());
        return;
      }
      try {
        timer.schedule(this::attempt, next.delay().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        fail(a.failure(), outcome(attempts.get(), "the ranker was closed"));
      }
    }

    void onDeadline() {
      fail(deadlinePassed(last), outcome(attempts.get(), null));
    }

    void fail(Failure f, String outcome) {
      if (!result.isDone()) {
        result.completeExceptionally(f.toException(provider, where, keyHint, outcome));
      }
    }
  }

  private static String outcome(int attempts, String extra) {
    String s = attempts == 1 ? "after 1 attempt" : "after " + attempts + " attempts";
    return extra == null ? s : s + "; " + extra;
  }

  private static byte[] read(ResponseBody body) throws IOException {
    if (body.contentLength() > MAX_BODY_BYTES) {
      throw new BadAnswerIo("the answer has " + body.contentLength() + " bytes, over the " + MAX_BODY_BYTES + " byte limit");
    }
    BufferedSource source = body.source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new BadAnswerIo("the answer is over the " + MAX_BODY_BYTES + " byte limit");
    }
    return source.getBuffer().readByteArray();
  }

  /** An over-long body: reported as a malformed answer, not retried. */
  private static final class BadAnswerIo extends IOException {
    private static final long serialVersionUID = 1L;

    BadAnswerIo(String message) {
      super(message);
    }
  }
}
