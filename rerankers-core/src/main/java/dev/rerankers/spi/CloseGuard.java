package dev.rerankers.spi;

import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Many concurrent calls, one close: what a scorer holding native memory needs. Calls run under the
 * shared side of a read-write lock, so they proceed in parallel; {@link #close} takes the exclusive
 * side, so it waits for the calls in progress before it frees anything, and frees only once. A call
 * that starts after close fails with an {@link IllegalStateException} naming the resource, instead
 * of touching freed native memory.
 *
 * <pre>{@code
 * private final CloseGuard guard = new CloseGuard("cross-encoder:" + model);
 *
 * public Scores score(String query, List<Document> docs) {
 *   return guard.call(() -> Scores.of(scoreAll(query, docs)));
 * }
 *
 * public void close() {
 *   guard.close(weights, tokenizer);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Calls are not reentrant across close: a call must not close its own guard.
 */
public final class CloseGuard {
  private final String name;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * A guard for the resource called {@code name} in the "is closed" message (e.g. the ranker's
   * {@link dev.rerankers.RerankerInfo#label()}).
   */
  public CloseGuard(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Runs {@code body} unless the guard is closed; close waits for it to return.
   *
   * @throws IllegalStateException if {@link #close} has run
   */
  public <T> T call(Supplier<T> body) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(name + " is closed");
      }
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Marks the guard closed once the calls in progress have returned, then closes {@code resources}
   * in the order given, each of them even when an earlier one fails. Later invocations do nothing.
   *
   * @throws RuntimeException the first failure, later ones attached as suppressed (a checked
   *     exception is wrapped in an {@link IllegalStateException})
   */
  public void close(AutoCloseable... resources) {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Exception first = null;
      for (AutoCloseable r : resources) {
        if (r == null) {
          continue;
        }
        try {
          r.close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first != null) {
        throw new IllegalStateException("closing " + name + " failed: " + first.getMessage(), first);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether {@link #close} has run. */
  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return closed;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "CloseGuard[" + name + (isClosed() ? ", closed]" : "]");
  }
}
