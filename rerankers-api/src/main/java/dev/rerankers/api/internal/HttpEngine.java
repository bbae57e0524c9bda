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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import dev.rerankers.spi.Backoff;

/**
 * The resilient HTTP engine of one ranker and its one endpoint. Each attempt goes through the
 * ranker's okhttp client, derived with {@link OkHttpClient#newBuilder()} from the shared root
 * ({@link SharedHttp}: same dispatcher, threads and connection pool) with the ranker's timeouts
 * and four interceptors, outermost first:
 *
 * <ol>
 *   <li>{@link KeyRedaction}: masks the key in error answers before anything above reads them;
 *   <li>{@link BodyLimit}: buffers the answer, refusing one over 32 MiB;
 *   <li>{@link RedirectPolicy}: follows same-origin 307/308 only (okhttp's own following is off);
 *   <li>{@link Authentication}: attaches the key, to the configured origin only.
 * </ol>
 *
 * <p>Around the attempts, one asynchronous loop per request ({@link Exchange}) does what cannot be
 * an okhttp interceptor without holding a thread through every wait: the ranker's {@code
 * maxConcurrency} bound ({@link ConcurrencyLimit}), the circuit breaker per endpoint, the retries
 * of what {@link Failure#retriable()} calls transient with core's {@link Backoff} (or the
 * provider's {@code Retry-After}) scheduled on the shared timer, and the call's deadline. {@code
 * rank} waits on the same loop ({@link CallerRuns}), sending a lone request from its own thread,
 * so there is one retry loop, not two. Failures become the typed exceptions of {@code
 * dev.rerankers.api}, never quoting the key.
 *
 * <p>{@link #close()} fails what waits, cancels this ranker's calls in flight and gives back its
 * lease on the shared resources. Thread-safe.
 */
final class HttpEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpEngine.class.getName());
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** A parser of a successful answer; throws {@link BadAnswer} when it is not understood. */
  interface Parser<T> {
    T parse(byte[] body);
  }

  /** A parsed answer and how many attempts it took. */
  record Answer<T>(T value, int attempts) {}

  private final String provider;
  private final TransportSettings settings;
  private final HttpUrl url;
  private final Headers headers;
  private final Secret key;
  private final String keyHint;
  private final SharedHttp.Lease lease;
  private final OkHttpClient client;
  private final ConcurrencyLimit limit;
  private final CircuitBreaker breaker;
  private final String where;
  private final Set<Exchange<?>> live = ConcurrentHashMap.newKeySet();
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param provider the provider name for messages
   * @param url the endpoint every request of this ranker goes to
   * @param headers the headers of every request, authentication aside
   * @param key the API key, or {@code null}
   * @param authHeader the header carrying the key ({@code Authorization}, {@code Api-Key})
   * @param authPrefix what precedes the key in it ({@code "Bearer "} or nothing)
   * @param keyHint how to set the key, for messages, e.g. {@code "the apiKey option or COHERE_API_KEY"}
   */
  HttpEngine(String provider, TransportSettings settings, HttpUrl url, Headers headers, Secret key,
      String authHeader, String authPrefix, String keyHint) {
    this.provider = provider;
    this.settings = settings;
    this.url = url;
    this.headers = headers;
    this.key = key;
    this.keyHint = keyHint;
    this.limit = new ConcurrencyLimit(settings.maxConcurrency());
    this.breaker = new CircuitBreaker(settings.breakerThreshold(), settings.breakerCooldown(), System::nanoTime);
    this.where = "POST " + endpointKey(url);
    this.lease = SharedHttp.acquire();
    try {
      this.client = derive(lease.root(), settings, url, key, authHeader, authPrefix);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** The ranker's client: the root's pools, the ranker's timeouts and interceptors. */
  private static OkHttpClient derive(OkHttpClient root, TransportSettings settings, HttpUrl url, Secret key,
      String authHeader, String authPrefix) {
    OkHttpClient.Builder b = root.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .callTimeout(settings.attemptTimeout())
        // The retry loop decides, and counts, every retry.
        .retryOnConnectionFailure(false)
        // okhttp would follow redirects to any origin, re-sending headers such as Api-Key there
        // (it strips only Authorization) and https to http; RedirectPolicy decides instead.
        .followRedirects(false)
        .followSslRedirects(false);
    if (key != null) {
      b.addInterceptor(new KeyRedaction(key));
    }
    b.addInterceptor(new BodyLimit()).addInterceptor(new RedirectPolicy());
    if (key != null) {
      b.addInterceptor(new Authentication(url, authHeader, authPrefix + key.value()));
    }
    return b.build();
  }

  TransportSettings settings() {
    return settings;
  }

  HttpUrl url() {
    return url;
  }

  /** This ranker's client (tests check what it shares). */
  OkHttpClient client() {
    return client;
  }

  /** Requests of this ranker not finished: waiting for a permit, a retry or an answer; 0 when idle. */
  int pending() {
    return live.size() + inFlight.size();
  }

  /**
   * Posts a JSON body and parses the answer, retrying as configured, finishing by {@code
   * deadlineNanos} (a {@link System#nanoTime()} instant) at the latest. The future fails with the
   * typed exceptions of {@code dev.rerankers.api}; cancelling it cancels the request in flight.
   *
   * @param caller the waiting thread that sends the attempts itself (the synchronous {@code rank}
   *     of one request), or {@code null} to send them through okhttp's dispatcher
   */
  <T> CompletableFuture<Answer<T>> post(byte[] body, long deadlineNanos, Parser<T> parser, CallerRuns caller) {
    Request request = new Request.Builder().url(url).headers(headers).post(RequestBody.create(body, JSON)).build();
    Exchange<T> exchange = new Exchange<>(request, deadlineNanos, parser, caller);
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
    limit.clear();
    for (Exchange<?> e : live) {
      e.fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker was closed while the call was pending", null, null), "");
    }
    for (Call c : inFlight) {
      c.cancel();
    }
    lease.close();
  }

  /** What one attempt ended with: a value, or a failure (the breaker has been told either way). */
  private record Attempt<T>(T value, Failure failure) {}

  /** After a failed attempt: retry after {@code delay}, or give up with the outcome text {@code failWith}. */
  private record Next(Duration delay, String failWith) {}

  private <T> Attempt<T> judge(Response response, Parser<T> parser) {
    int code = response.code();
    byte[] body;
    try {
      body = response.body().bytes(); // buffered by BodyLimit
    } catch (IOException e) {
      return judgeIo(e);
    }
    if (code >= 200 && code < 300) {
      try {
        T value = parser.parse(body);
        breaker.onSuccess();
        return new Attempt<>(value, null);
      } catch (BadAnswer e) {
        return unhealthy(Failure.malformed(code, e.getMessage(), e, key));
      } catch (RuntimeException e) {
        return unhealthy(Failure.malformed(code, "the answer cannot be read: " + e, e, key));
      }
    }
    Duration retryAfter =
        Backoff.retryAfter(response.header("retry-after-ms"), response.header("Retry-After"), Instant.now());
    return told(Failure.fromStatus(code, body, retryAfter));
  }

  private <T> Attempt<T> judgeIo(IOException e) {
    return told(Failure.fromIo(e, key));
  }

  /** Tells the breaker whether the endpoint looked healthy (a refused redirect or a 4xx: it answered). */
  private <T> Attempt<T> told(Failure f) {
    if (f.endpointUnhealthy()) {
      breaker.onFailure(f.summary());
    } else {
      breaker.onSuccess();
    }
    return new Attempt<>(null, f);
  }

  private <T> Attempt<T> unhealthy(Failure f) {
    breaker.onFailure(f.summary());
    return new Attempt<>(null, f);
  }

  private Next next(Failure f, int n, long deadline) {
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
      delay = settings.backoff().delay(n);
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

  private Failure circuitOpen(Failure prev) {
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

  private static String outcome(int attempts, String extra) {
    String s = attempts == 0 ? "no request sent" : attempts == 1 ? "after 1 attempt" : "after " + attempts + " attempts";
    return extra == null ? s : s + "; " + extra;
  }

  /**
   * One logical request: its attempts, the back-offs between them and its deadline, written once
   * for both ways of sending. An attempt is admitted by the ranker's {@link ConcurrencyLimit} (at
   * once, or when a permit frees up), runs on the shared dispatcher (or, with a {@link CallerRuns},
   * as a blocking call on the waiting thread), and either completes the result or schedules the
   * next admission on the shared timer. No step blocks the thread it runs on, except the blocking
   * call on the caller's own thread.
   */
  private final class Exchange<T> {
    final CompletableFuture<Answer<T>> result = new CompletableFuture<>();
    final Request request;
    final long deadline;
    final Parser<T> parser;
    final CallerRuns caller;
    volatile int attempts;
    volatile Call call;
    volatile ScheduledFuture<?> deadlineTask;
    volatile Failure last;

    Exchange(Request request, long deadline, Parser<T> parser, CallerRuns caller) {
      this.request = request;
      this.deadline = deadline;
      this.parser = parser;
      this.caller = caller;
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
            Call c = call;
            if (e != null && c != null) {
              c.cancel();
            }
          });
      if (closed.get()) {
        fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker is closed", null, null), outcome(0, null));
        return;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        fail(new Failure(Failure.Kind.TIMEOUT, 0, "the call's deadline passed before this request could start", null, null),
            outcome(0, null));
        return;
      }
      if (caller != null) {
        caller.atDeadline(deadline, this::onDeadline); // the waiting thread keeps the deadline
      } else {
        try {
          deadlineTask = lease.timer().schedule(this::onDeadline, remaining, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          fail(new Failure(Failure.Kind.CONNECTION, 0, "the ranker is closed", null, e), outcome(0, null));
          return;
        }
      }
      admit();
    }

    /** Asks for a permit; the attempt starts when it is granted. */
    void admit() {
      limit.submit(caller == null ? this::send : this::sendFromCaller);
    }

    /**
     * With a permit granted on any thread: hands the attempt to the waiting thread, which sends it
     * (and hands the permit on itself if it sends nothing).
     */
    boolean sendFromCaller() {
      if (result.isDone()) {
        return false;
      }
      caller.execute(() -> {
        if (!send()) {
          limit.release();
        }
      });
      return true;
    }

    /** Sends the next attempt; {@code false} when none was sent (the permit is handed on). */
    boolean send() {
      if (result.isDone()) {
        return false;
      }
      if (!breaker.tryAcquire()) {
        fail(circuitOpen(last), outcome(attempts, null));
        return false;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        breaker.onAbandoned();
        onDeadline();
        return false;
      }
      attempts++;
      Call c = client.newCall(request);
      c.timeout().timeout(Math.min(settings.attemptTimeout().toNanos(), remaining), TimeUnit.NANOSECONDS);
      call = c;
      inFlight.add(c);
      if (caller != null) {
        Response response;
        try {
          response = c.execute();
        } catch (IOException e) {
          ended(c, null, e);
          return true;
        } catch (RuntimeException e) {
          ended(c, null, new IOException("the request failed: " + e, e));
          return true;
        }
        try (response) {
          ended(c, response, null);
        }
        return true;
      }
      try {
        c.enqueue(new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            ended(c, null, e);
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              ended(c, response, null);
            }
          }
        });
      } catch (RuntimeException e) {
        inFlight.remove(c);
        breaker.onAbandoned();
        fail(new Failure(Failure.Kind.CONNECTION, 0, "the request could not be started: " + e, null, e), outcome(attempts, null));
        return false;
      }
      return true;
    }

    /** An attempt ended (on okhttp's thread, or the caller's): hand its permit on, then judge it. */
    void ended(Call c, Response response, IOException e) {
      inFlight.remove(c);
      limit.release();
      try {
        if (result.isDone()) {
          breaker.onAbandoned(); // cancelled by the deadline, the caller or close()
          return;
        }
        settle(response != null ? judge(response, parser) : judgeIo(e));
      } catch (RuntimeException unexpected) {
        // Never leave the future hanging, whatever happened on okhttp's thread.
        breaker.onAbandoned();
        fail(Failure.malformed(0, "the answer cannot be handled: " + unexpected, unexpected, key), outcome(attempts, null));
      }
    }

    void settle(Attempt<T> a) {
      if (a.failure() == null) {
        result.complete(new Answer<>(a.value(), attempts));
        return;
      }
      last = a.failure();
      Next next = next(a.failure(), attempts, deadline);
      if (next.failWith() != null) {
        fail(a.failure(), next.failWith());
        return;
      }
      try {
        lease.timer().schedule(this::admit, next.delay().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        fail(a.failure(), outcome(attempts, "the ranker was closed"));
      }
    }

    void onDeadline() {
      fail(deadlinePassed(last), outcome(attempts, null));
    }

    void fail(Failure f, String outcome) {
      if (!result.isDone()) {
        result.completeExceptionally(f.toException(provider, where, keyHint, outcome));
      }
    }
  }
}
