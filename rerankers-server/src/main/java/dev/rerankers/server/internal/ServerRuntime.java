package dev.rerankers.server.internal;

import dev.rerankers.RankRequest;
import dev.rerankers.Catalog;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The running server: Jetty, the models and their runners, the metrics. Starts listening first (so
 * {@code /health} answers while models load), then loads and warms each model, then reports ready.
 * {@link #stop()} is the graceful shutdown: not ready, refuse new requests, wait for accepted ones
 * (up to the drain timeout), stop the runners and Jetty, close the rankers.
 */
public final class ServerRuntime {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.server");

  /** A model to serve: from a config string, or a ranker the caller loaded. */
  public record ModelSource(String name, String spec, Reranker ranker) {}

  private final Settings settings;
  private final List<ModelSource> sources;
  private final Map<String, ModelSlot> slots = new LinkedHashMap<>();
  private final ServerMetrics metrics = new ServerMetrics();
  private final Routes routes;
  private final Server jetty;
  private final ServerConnector connector;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public ServerRuntime(Settings settings, List<ModelSource> sources, String defaultModel) {
    this.settings = settings;
    this.sources = List.copyOf(sources);
    for (ModelSource s : sources) {
      slots.put(s.name(), new ModelSlot(s.name(), s.spec()));
    }
    this.routes = new Routes(settings, slots, defaultModel, metrics, openApi(), Catalog.version());
    QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), Math.min(4, settings.maxThreads()));
    pool.setName("rerankers-http");
    pool.setDaemon(false);
    this.jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    // a request may wait for its batch with no I/O on the connection: never idle out before its deadline
    connector.setIdleTimeout(Math.max(30_000, settings.requestTimeout().toMillis() + 5_000));
    jetty.addConnector(connector);
    jetty.setHandler(routes);
    jetty.setErrorHandler(new JsonErrors());
    jetty.setStopTimeout(settings.drainTimeout().toMillis());
    routes.executor(pool);
    metrics.ready(() -> routes.ready() ? 1 : 0);
  }

  /** Listens, loads and warms every model, and reports ready. On a load failure everything is closed again. */
  public void start() {
    try {
      jetty.start();
    } catch (Exception e) {
      closeQuietly();
      throw new RerankerException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    LOG.log(Level.INFO, "listening on " + settings.host() + ":" + port() + " (" + settings + ")");
    try {
      for (ModelSource s : sources) {
        load(s);
      }
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
    routes.ready(true);
    LOG.log(Level.INFO, "ready: " + routes.modes());
  }

  private void load(ModelSource s) {
    ModelSlot slot = slots.get(s.name());
    long t0 = System.nanoTime();
    Reranker r = s.ranker() != null ? s.ranker() : Reranker.load(s.spec());
    slot.ranker = r;
    slot.tokenCap = TokenEstimate.cap(r.info());
    if (settings.warmup() && r.info().device() != null) {
      // local models only: a hosted API would be billed for it
      r.rankAll(List.of(RankRequest.ofTexts("warm up", List.of("warm up the model", "a second document"))));
    }
    Runner runner = settings.batching() && r.sharesBatchesAcrossQueries()
        ? new BatchingRunner(s.name(), r, settings.queueCapacity(), settings.maxWait(), settings.maxBatchTokens(),
            settings.batchWorkers(), metrics)
        : new ConcurrentRunner(s.name(), r, settings.queueCapacity(), settings.concurrency(), metrics);
    metrics.queue(s.name(), runner::queued);
    slot.runner = runner;
    LOG.log(Level.INFO, "model '" + s.name() + "' = " + r.info().label() + " loaded in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms, requests " + runner.mode());
  }

  public int port() {
    return connector.getLocalPort();
  }

  public boolean ready() {
    return routes.ready();
  }

  /** Served model names and how each runs ({@code batched}, {@code concurrent}, {@code loading}). */
  public Map<String, String> modes() {
    return routes.modes();
  }

  /** Requests accepted and not yet answered. */
  public int inFlight() {
    return routes.inFlight();
  }

  /** Graceful stop; idempotent; later calls wait for the first. */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      routes.stopAccepting();
      long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
      while (routes.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (routes.inFlight() > 0) {
        LOG.log(Level.WARNING, routes.inFlight() + " requests still in flight after the drain timeout of "
            + settings.drainTimeout().toMillis() + " ms; stopping anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
      stopped.countDown();
      LOG.log(Level.INFO, "stopped");
    }
  }

  private void closeQuietly() {
    for (ModelSlot s : slots.values()) {
      if (s.runner != null) {
        s.runner.shutdown();
      }
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "stopping Jetty: " + e);
    }
    for (ModelSlot s : slots.values()) {
      if (s.ranker != null) {
        try {
          s.ranker.close();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "closing model '" + s.name + "': " + e);
        }
      }
    }
    metrics.close();
  }

  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] openApi() {
    try (InputStream in = ServerRuntime.class.getResourceAsStream("/dev/rerankers/server/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the rerankers-server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
