package dev.rerankers.server.internal;

import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For rankers that cannot mix queries in one forward pass (dense bi-encoders, hosted APIs,
 * listwise LLM rankers, fallbacks): each request is ranked on its own, at most {@code concurrency}
 * at a time, the rest waiting in a bounded queue.
 */
final class ConcurrentRunner implements Runner {
  private final String model;
  private final Reranker ranker;
  private final int capacity;
  private final int concurrency;
  private final ServerMetrics metrics;
  private final ThreadPoolExecutor pool;
  private volatile double requestSeconds = 0.05;

  ConcurrentRunner(String model, Reranker ranker, int capacity, int concurrency, ServerMetrics metrics) {
    this.model = model;
    this.ranker = ranker;
    this.capacity = capacity;
    this.concurrency = concurrency;
    this.metrics = metrics;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(capacity), r -> {
          Thread t = new Thread(r, "rerankers-run-" + model + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public CompletableFuture<RankedResults> submit(RankRequest request, int tokens) {
    CompletableFuture<RankedResults> future = new CompletableFuture<>();
    try {
      pool.execute(new Task(request, future));
    } catch (RejectedExecutionException e) {
      if (pool.isShutdown()) {
        throw new HttpError(503, HttpError.SHUTTING_DOWN, "the server is shutting down");
      }
      int waiting = pool.getQueue().size();
      long retry = Math.max(1, (long) Math.ceil((1 + waiting / (double) concurrency) * requestSeconds));
      throw new HttpError(429, HttpError.OVERLOADED, "model '" + model + "' has " + waiting
          + " requests waiting (its queue holds " + capacity + "); retry later", retry);
    }
    return future;
  }

  /** A queued request, kept with its future so a shutdown can fail what never ran. */
  private final class Task implements Runnable {
    final RankRequest request;
    final CompletableFuture<RankedResults> future;

    Task(RankRequest request, CompletableFuture<RankedResults> future) {
      this.request = request;
      this.future = future;
    }

    @Override
    public void run() {
      ConcurrentRunner.this.run(request, future);
    }
  }

  private void run(RankRequest request, CompletableFuture<RankedResults> future) {
    if (future.isDone()) {
      return; // timed out or abandoned while waiting
    }
    long start = System.nanoTime();
    try {
      future.complete(ranker.rankDocuments(request.query(), request.documents()));
    } catch (RuntimeException | Error e) {
      future.completeExceptionally(e);
    }
    long nanos = System.nanoTime() - start;
    requestSeconds = 0.8 * requestSeconds + 0.2 * (nanos / 1e9);
    metrics.batch(model, 1, request.documents().size(), nanos);
  }

  @Override
  public int queued() {
    return pool.getQueue().size();
  }

  @Override
  public String mode() {
    return "concurrent";
  }

  @Override
  public void shutdown() {
    pool.shutdown();
    java.util.List<Runnable> left = new java.util.ArrayList<>();
    pool.getQueue().drainTo(left);
    for (Runnable r : left) {
      ((Task) r).future.completeExceptionally(new HttpError(503, HttpError.SHUTTING_DOWN, "the server is shutting down"));
    }
    try {
      pool.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
