package dev.rerankers.api.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One ranker's bound on HTTP requests in flight ({@code maxConcurrency}), without blocking a
 * thread: a request over the bound waits in a queue and is started by the completion of an
 * earlier one. The dispatcher the rankers share adds no limit of its own, so this is what keeps a
 * busy ranker from taking every connection. Lock-free: taking and giving back a permit is one
 * atomic update when nothing waits. Thread-safe.
 */
final class ConcurrencyLimit {
  private final AtomicInteger permits;
  private final ConcurrentLinkedQueue<BooleanSupplier> waiting = new ConcurrentLinkedQueue<>();

  ConcurrencyLimit(int max) {
    this.permits = new AtomicInteger(max);
  }

  /**
   * Runs {@code start} now if a permit is free, else when one is. {@code start} returns whether it
   * sent a request and so holds the permit until {@link #release()}; {@code false} hands the permit
   * on at once.
   */
  void submit(BooleanSupplier start) {
    if (waiting.isEmpty() && tryAcquire()) { // no overtaking those already waiting
      if (!start.getAsBoolean()) {
        release();
      }
      return;
    }
    waiting.add(start);
    drain(); // a permit may have come back between the failed try and the add
  }

  /** A request ended: its permit goes to the next waiting start that sends one, else back to the pool. */
  void release() {
    permits.incrementAndGet();
    drain();
  }

  /** While starts wait and permits are free: hands permits to waiting starts. */
  private void drain() {
    while (!waiting.isEmpty() && tryAcquire()) {
      BooleanSupplier next = waiting.poll();
      if (next == null || !next.getAsBoolean()) {
        permits.incrementAndGet(); // taken by another drain, or not needed: give it back and look again
      }
    }
  }

  private boolean tryAcquire() {
    while (true) {
      int p = permits.get();
      if (p <= 0) {
        return false;
      }
      if (permits.compareAndSet(p, p - 1)) {
        return true;
      }
    }
  }

  /** Forgets every waiting start (the ranker is closing and fails them itself). */
  void clear() {
    waiting.clear();
  }
}
