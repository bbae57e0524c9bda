package dev.rerankers.api.internal;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * One ranker's bound on HTTP requests in flight ({@code maxConcurrency}), without blocking a
 * thread: a request over the bound waits in a queue and is started by the completion of an
 * earlier one. The dispatcher the rankers share adds no limit of its own, so this is what keeps a
 * busy ranker from taking every connection. Thread-safe.
 */
final class ConcurrencyLimit {
  private final int max;
  private final ArrayDeque<BooleanSupplier> waiting = new ArrayDeque<>();
  private int active;

  ConcurrencyLimit(int max) {
    this.max = max;
  }

  /**
   * Runs {@code start} now if a permit is free, else when one is. {@code start} returns whether it
   * sent a request and so holds the permit until {@link #release()}; {@code false} hands the permit
   * on at once.
   */
  void submit(BooleanSupplier start) {
    synchronized (this) {
      if (active >= max) {
        waiting.add(start);
        return;
      }
      active++;
    }
    if (!start.getAsBoolean()) {
      release();
    }
  }

  /** A request ended: its permit goes to the next waiting start that sends one, else back to the pool. */
  void release() {
    while (true) {
      BooleanSupplier next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          active--;
          return;
        }
      }
      if (next.getAsBoolean()) {
        return;
      }
    }
  }

  /** Forgets every waiting start (the ranker is closing and fails them itself). */
  synchronized void clear() {
    waiting.clear();
  }
}
