package dev.rerankers.server.internal;

import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one model's requests: either coalesced into shared batches ({@link BatchingRunner}) or
 * side by side under a concurrency limit ({@link ConcurrentRunner}). Both hold a bounded queue: a
 * request that finds it full is refused at once with a 429, never left waiting unboundedly.
 */
interface Runner {

  /**
   * Queues a request; the future completes with its results. A future completed or cancelled by
   * someone else (deadline, client gone) before its turn is skipped.
   *
   * @param tokens the request's estimated tokens ({@link TokenEstimate})
   * @throws HttpError 429 when the queue is full, 503 after {@link #shutdown}
   */
  CompletableFuture<RankedResults> submit(RankRequest request, int tokens);

  /** Requests waiting (not yet being scored). */
  int queued();

  /** {@code "batched"} or {@code "concurrent"}. */
  String mode();

  /** Refuses new requests, fails those still queued with a 503, and stops the workers after the work in hand. */
  void shutdown();
}
