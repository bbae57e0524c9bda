package dev.rerankers.api.internal;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The HTTP resources every API ranker of the JVM shares, in okhttp's own style ("OkHttpClients
 * should be shared"): one root {@link OkHttpClient}, whose dispatcher, thread pool and connection
 * pool each ranker's client shares through {@link OkHttpClient#newBuilder()}, and one timer thread
 * for back-offs and deadlines. No ranker owns a thread.
 *
 * <p>The root is the client the user installed ({@link #use}), else the library's own, built on
 * the first ranker: daemon threads named {@code rerankers-api-http-N}, no limit of its own on
 * requests in flight (each ranker's {@code maxConcurrency} is the limit), up to {@value
 * #MAX_IDLE_CONNECTIONS} idle connections kept 5 minutes. Rankers hold a {@link Lease} while open;
 * when the last one closes, the library's own client and the timer are shut down (their threads
 * end at once) and the next ranker builds them again, so a program that closes its rankers leaves
 * no thread behind. A client the user installed is never shut down: it is theirs.
 *
 * <p>Thread-safe.
 */
public final class SharedHttp {
  /** Idle connections the library's own client keeps, across all rankers and hosts. */
  static final int MAX_IDLE_CONNECTIONS = 256;

  private static final Object LOCK = new Object();
  private static OkHttpClient installed;
  private static OkHttpClient own;
  private static ScheduledThreadPoolExecutor timer;
  private static int leases;

  private SharedHttp() {}

  /**
   * Makes rankers built from now on derive their clients from {@code client} ({@code null}: from
   * the library's own). Rankers already built keep theirs.
   */
  public static void use(OkHttpClient client) {
    synchronized (LOCK) {
      installed = client;
    }
  }

  /** The client installed by {@link #use}, or {@code null}. */
  public static OkHttpClient installed() {
    synchronized (LOCK) {
      return installed;
    }
  }

  /** What one ranker holds until it closes: the root to derive from and the shared timer. */
  static final class Lease implements AutoCloseable {
    private final OkHttpClient root;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(OkHttpClient root, ScheduledExecutorService timer) {
      this.root = root;
      this.timer = timer;
    }

    OkHttpClient root() {
      return root;
    }

    ScheduledExecutorService timer() {
      return timer;
    }

    /** Gives the lease back; idempotent. */
    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release();
      }
    }
  }

  /** A lease on the shared resources, built if no ranker holds them. */
  static Lease acquire() {
    synchronized (LOCK) {
      if (leases == 0) {
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("rerankers-api-timer-"));
        timer.setRemoveOnCancelPolicy(true);
      }
      leases++;
      OkHttpClient root = installed;
      if (root == null) {
        if (own == null) {
          own = buildOwn();
        }
        root = own;
      }
      return new Lease(root, timer);
    }
  }

  /** Rankers holding a lease now (for tests). */
  static int leases() {
    synchronized (LOCK) {
      return leases;
    }
  }

  private static void release() {
    synchronized (LOCK) {
      if (--leases > 0) {
        return;
      }
      timer.shutdownNow();
      timer = null;
      if (own != null) {
        own.dispatcher().executorService().shutdown();
        own.connectionPool().evictAll();
        own = null;
      }
    }
  }

  private static OkHttpClient buildOwn() {
    ThreadPoolExecutor threads = new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads("rerankers-api-http-"));
    Dispatcher dispatcher = new Dispatcher(threads);
    // Each ranker bounds its own requests (maxConcurrency); the shared dispatcher adds no limit.
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
        .build();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    Objects.requireNonNull(prefix);
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
