package dev.rerankers.api.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The end of {@code rankAsync}: the caller's continuations run on the caller's executor, never on okhttp's threads or the timer. */
final class Handoff {
  private Handoff() {}

  /** A future completing on {@code executor} with {@code f}'s outcome; cancelling it cancels {@code f}. */
  static <T> CompletableFuture<T> to(Executor executor, CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete(
        (v, e) -> {
          Runnable complete = () -> {
            if (e != null) {
              out.completeExceptionally(CallerRuns.unwrap(e));
            } else {
              out.complete(v);
            }
          };
          try {
            executor.execute(complete);
          } catch (RuntimeException rejected) {
            complete.run();
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
