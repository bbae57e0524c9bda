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
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for the futures of the HTTP engine. */
final class Futures {
  private Futures() {}

  /**
   * Waits for a future on the calling thread (the synchronous {@code score}), rethrowing its
   * failure as it is. An interrupt cancels the future (and with it the requests in flight).
   */
  static <T> T await(CompletableFuture<T> future, String provider) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiException(provider, 0, false, provider + ": interrupted while waiting for the answer; the request was cancelled", e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (CancellationException e) {
      throw new ApiException(provider, 0, false, provider + ": the call was cancelled", e);
    }
  }

  static RuntimeException rethrow(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new RerankerException(String.valueOf(c), c);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * All results in order, or the first failure (the others are then cancelled, which cancels their
   * requests).
   */
  static <T> CompletableFuture<List<T>> allOrFirstFailure(List<CompletableFuture<T>> futures) {
    CompletableFuture<List<T>> all = new CompletableFuture<>();
    int n = futures.size();
    if (n == 0) {
      all.complete(List.of());
      return all;
    }
    AtomicInteger remaining = new AtomicInteger(n);
    for (CompletableFuture<T> f : futures) {
      f.whenComplete(
          (v, e) -> {
            if (e != null) {
              if (all.completeExceptionally(unwrap(e))) {
                futures.forEach(o -> o.cancel(true));
              }
            } else if (remaining.decrementAndGet() == 0) {
              List<T> out = new ArrayList<>(n);
              futures.forEach(o -> out.add(o.join()));
              all.complete(out);
            }
          });
    }
    // Cancelling the combined future cancels the parts.
    all.whenComplete((v, e) -> {
      if (all.isCancelled()) {
        futures.forEach(o -> o.cancel(true));
      }
    });
    return all;
  }

  /** Completes on the caller's executor so user continuations never run on okhttp's threads. */
  static <T> CompletableFuture<T> on(CompletableFuture<T> f, Executor executor) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete(
        (v, e) -> {
          try {
            executor.execute(() -> {
              if (e != null) {
                out.completeExceptionally(unwrap(e));
              } else {
                out.complete(v);
              }
            });
          } catch (RuntimeException rejected) {
            if (e != null) {
              out.completeExceptionally(unwrap(e));
            } else {
              out.complete(v);
            }
          }
        });
    out.whenComplete((v, e) -> {
      if (out.isCancelled()) {
        f.cancel(true);
      }
    });
    return out;
  }
}
