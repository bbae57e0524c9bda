package dev.rerankers.server.internal;

import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for rankers whose {@code rankAll} shares forward passes between queries
 * (pointwise local backends). A worker thread (one per model by default; {@code workers} of them
 * score that many batches at once) takes the oldest waiting request, then
 * keeps collecting until {@code maxWait} has passed since that request arrived or the batch holds
 * {@code maxBatchTokens} estimated tokens, and ranks everything collected with one {@link
 * Reranker#rankAll} call; each request gets its own results back. While a batch runs, new requests
 * queue, so under load the next batch starts at once with everything that arrived meanwhile.
 *
 * <p>A batch whose call fails is retried request by request, so one bad request fails alone.
 * Requests whose future is already done when their turn comes (deadline passed, client gone) are
 * dropped without being scored.
 */
final class BatchingRunner implements Runner {
  private static final System.Logger LOG = System.getLogger(BatchingRunner.class.getName());

  private final String model;
  private final Reranker ranker;
  private final int capacity;
  private final long maxWaitNanos;
  private final int maxBatchTokens;
  private final ServerMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean stopped;
  /** Smoothed batch time and size, for Retry-After. */
  private volatile double batchSeconds = 0.05;
  private volatile double batchRequests = 1;

  private static final class Item {
    final RankRequest request;
    final int tokens;
    final long arrivedNanos;
    final CompletableFuture<RankedResults> future = new CompletableFuture<>();

    Item(RankRequest request, int tokens) {
      this.request = request;
      this.tokens = tokens;
      this.arrivedNanos = System.nanoTime();
    }
  }

  BatchingRunner(String model, Reranker ranker, int capacity, Duration maxWait, int maxBatchTokens, int workers,
      ServerMetrics metrics) {
    this.model = model;
    this.ranker = ranker;
    this.capacity = capacity;
    this.maxWaitNanos = maxWait.toNanos();
    this.maxBatchTokens = maxBatchTokens;
    this.metrics = metrics;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "rerankers-batch-" + model + "-" + (i + 1));
      t.setDaemon(true);
      t.start();
      this.workers.add(t);
    }
  }

  @Override
  public CompletableFuture<RankedResults> submit(RankRequest request, int tokens) {
    Item item = new Item(request, tokens);
    lock.lock();
    try {
      if (stopped) {
        throw new HttpError(503, HttpError.SHUTTING_DOWN, "the server is shutting down");
      }
      if (queue.size() >= capacity) {
        throw new HttpError(429, HttpError.OVERLOADED, "model '" + model + "' has " + queue.size()
            + " requests waiting (its queue holds " + capacity + "); retry later", retryAfter(queue.size()));
      }
      queue.addLast(item);
      arrived.signal();
    } finally {
      lock.unlock();
    }
    return item.future;
  }

  /** Seconds until the queue ahead has likely drained: batches needed times the batch time, at least 1. */
  private long retryAfter(int waiting) {
    double batches = (1 + waiting / Math.max(1.0, batchRequests)) / workers.size();
    return Math.max(1, (long) Math.ceil(batches * batchSeconds));
  }

  @Override
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String mode() {
    return "batched";
  }

  @Override
  public void shutdown() {
    List<Item> left;
    lock.lock();
    try {
      stopped = true;
      left = new ArrayList<>(queue);
      queue.clear();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    for (Item i : left) {
      i.future.completeExceptionally(new HttpError(503, HttpError.SHUTTING_DOWN, "the server is shutting down"));
    }
    try {
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    while (true) {
      List<Item> batch;
      try {
        batch = collect();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      if (!batch.isEmpty()) {
        run(batch);
      }
    }
  }

  /** The next batch; null once stopped and empty. */
  private List<Item> collect() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (stopped) {
          return null;
        }
        arrived.await();
      }
      long closeAt = queue.peekFirst().arrivedNanos + maxWaitNanos;
      List<Item> batch = new ArrayList<>();
      int tokens = 0;
      while (true) {
        while (!queue.isEmpty()) {
          Item next = queue.peekFirst();
          if (next.future.isDone()) {
            queue.pollFirst(); // timed out or abandoned while waiting: not scored
            continue;
          }
          if (!batch.isEmpty() && tokens + next.tokens > maxBatchTokens) {
            return batch;
          }
          queue.pollFirst();
          batch.add(next);
          tokens += next.tokens;
        }
        long left = closeAt - System.nanoTime();
        if (tokens >= maxBatchTokens || left <= 0 || stopped) {
          return batch;
        }
        arrived.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Item> batch) {
    List<RankRequest> requests = new ArrayList<>(batch.size());
    int pairs = 0;
    for (Item i : batch) {
      requests.add(i.request);
      pairs += i.request.documents().size();
    }
    long start = System.nanoTime();
    try {
      List<RankedResults> results = ranker.rankAll(requests);
      for (int k = 0; k < batch.size(); k++) {
        batch.get(k).future.complete(results.get(k));
      }
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.get(0).future.completeExceptionally(e);
      } else {
        // one request may be at fault: the others must not fail with it
        LOG.log(Level.DEBUG, () -> "model " + model + ": a batch of " + batch.size() + " failed (" + e
            + "); ranking its requests one by one");
        for (Item i : batch) {
          if (i.future.isDone()) {
            continue;
          }
          try {
            i.future.complete(ranker.rankDocuments(i.request.query(), i.request.documents()));
          } catch (RuntimeException | Error e2) {
            i.future.completeExceptionally(e2);
          }
        }
      }
    }
    long nanos = System.nanoTime() - start;
    batchSeconds = 0.8 * batchSeconds + 0.2 * (nanos / 1e9);
    batchRequests = 0.8 * batchRequests + 0.2 * batch.size();
    metrics.batch(model, batch.size(), pairs, nanos);
  }
}
