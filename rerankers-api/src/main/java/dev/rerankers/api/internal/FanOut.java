package dev.rerankers.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The parts of one call sent concurrently (split requests, relevance-filter batches), joined. */
final class FanOut {
  private FanOut() {}

  /**
   * All results in order, or the first failure (the others are then cancelled, which cancels their
   * requests). Cancelling the combined future cancels the parts.
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
              if (all.completeExceptionally(CallerRuns.unwrap(e))) {
                futures.forEach(o -> o.cancel(true));
              }
            } else if (remaining.decrementAndGet() == 0) {
              List<T> out = new ArrayList<>(n);
              futures.forEach(o -> out.add(o.join()));
              all.complete(out);
            }
          });
    }
    all.whenComplete((v, e) -> {
      if (all.isCancelled()) {
        futures.forEach(o -> o.cancel(true));
      }
    });
    return all;
  }
}
