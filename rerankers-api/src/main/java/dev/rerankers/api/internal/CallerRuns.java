package dev.rerankers.api.internal;

import dev.rerankers.ApiException;
import dev.rerankers.RerankerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The synchronous {@code score}: the calling thread waits for the same asynchronous call {@code
 * scoreAsync} makes and, while it waits, runs the steps that call hands it (in the manner of
 * gRPC's blocking stubs). An exchange given a {@code CallerRuns} sends its attempts from here with
 * a blocking okhttp call instead of handing them to okhttp's dispatcher, so {@code rank} with one
 * request costs no thread switch, yet goes through the one retry loop, the ranker's concurrency
 * bound, its breaker and its deadline. Back-offs and permits arrive from the timer and other
 * threads as tasks on this queue; none of them blocks the thread that posts it. The waiting thread
 * also keeps its call's deadline ({@link #atDeadline}), so a synchronous call needs no timer task.
 *
 * <p>One instance per call, awaited by one thread.
 */
final class CallerRuns implements Executor {
  private static final Runnable WAKE = () -> {};

  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final List<Runnable> deadlineActions = new ArrayList<>();
  private long deadline = Long.MAX_VALUE;
  private boolean hasDeadline;
  private boolean done;

  /**
   * Runs {@code action} on the waiting thread once {@code deadlineNanos} (a {@link
   * System#nanoTime()} instant) has passed, unless the call is over first. Called on the waiting
   * thread, before or while it waits.
   */
  void atDeadline(long deadlineNanos, Runnable action) {
    synchronized (this) {
      deadline = hasDeadline ? Math.min(deadline, deadlineNanos) : deadlineNanos;
      hasDeadline = true;
      deadlineActions.add(action);
    }
  }

  /** Queues a step for the waiting thread, or runs it here once the wait is over. */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (!done) {
        tasks.add(task);
        return;
      }
    }
    task.run(); // the call is over: the step only hands its permit on
  }

  /**
   * Runs the queued steps until the future completes, then returns its value or rethrows its
   * failure as it is. An interrupt cancels the future (and with it the request in flight).
   */
  <T> T await(CompletableFuture<T> future, String provider) {
    future.whenComplete((v, e) -> tasks.add(WAKE));
    try {
      while (!future.isDone()) {
        Runnable task;
        long at;
        synchronized (this) {
          at = hasDeadline ? deadline : Long.MAX_VALUE;
        }
        if (at == Long.MAX_VALUE) {
          task = tasks.take();
        } else {
          task = tasks.poll(at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        if (task != null) {
          task.run();
        } else {
          List<Runnable> due;
          synchronized (this) {
            due = List.copyOf(deadlineActions);
            deadlineActions.clear();
            hasDeadline = false;
          }
          due.forEach(Runnable::run);
        }
      }
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiException(provider, 0, false, provider + ": interrupted while waiting for the answer; the request was cancelled", e);
    } finally {
      List<Runnable> left = new ArrayList<>();
      synchronized (this) {
        done = true;
        tasks.drainTo(left);
      }
      left.forEach(Runnable::run);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      throw new IllegalStateException("a completed future cannot be interrupted", e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (CancellationException e) {
      throw new ApiException(provider, 0, false, provider + ": the call was cancelled", e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new RerankerException(String.valueOf(c), c);
  }

  /** The failure inside the wrappers {@link CompletableFuture} adds. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
