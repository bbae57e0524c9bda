package dev.rerankers.api.internal;

import dev.rerankers.ApiException;
import dev.rerankers.RerankerException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The synchronous {@code score}: waits on the calling thread for the asynchronous call, so that
 * {@code rank} and {@code rankAsync} run the same retry loop.
 */
final class Await {
  private Await() {}

  /**
   * The future's value, or its failure rethrown as it is. An interrupt cancels the future (and with
   * it the requests in flight).
   */
  static <T> T result(CompletableFuture<T> future, String provider) {
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
