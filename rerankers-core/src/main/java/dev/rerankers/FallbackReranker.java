package dev.rerankers;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** See {@link Reranker#withFallback}. Thread-safe when both rankers are. */
final class FallbackReranker implements Reranker {
  private static final System.Logger LOG = System.getLogger(Reranker.class.getName());

  private final Reranker primary;
  private final Reranker fallback;

  FallbackReranker(Reranker primary, Reranker fallback) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    if (primary == fallback) {
      throw new IllegalArgumentException("primary and fallback are the same ranker");
    }
  }

  @Override
  public RankedResults rankDocuments(String query, List<Document> documents) {
    try {
      return primary.rankDocuments(query, documents);
    } catch (RerankerException e) {
      warn(e);
      return fallback.rankDocuments(query, documents);
    }
  }

  @Override
  public CompletableFuture<RankedResults> rankAsync(String query, List<Document> documents) {
    return primary.rankAsync(query, documents).exceptionallyCompose(e -> recover(e, query, documents, null));
  }

  @Override
  public CompletableFuture<RankedResults> rankAsync(
      String query, List<Document> documents, Executor executor) {
    return primary
        .rankAsync(query, documents, executor)
        .exceptionallyCompose(e -> recover(e, query, documents, executor));
  }

  private CompletableFuture<RankedResults> recover(
      Throwable error, String query, List<Document> documents, Executor executor) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (!(cause instanceof RerankerException e)) {
      return CompletableFuture.failedFuture(cause);
    }
    warn(e);
    return executor == null
        ? fallback.rankAsync(query, documents)
        : fallback.rankAsync(query, documents, executor);
  }

  private void warn(RerankerException e) {
    LOG.log(
        Level.WARNING,
        "{0} failed ({1}); answering with fallback {2}",
        primary.info().label(),
        e.getMessage(),
        fallback.info().label());
  }

  @Override
  public RerankerInfo info() {
    RerankerInfo p = primary.info();
    RerankerInfo f = fallback.info();
    return new RerankerInfo(
        p.type(),
        p.model(),
        p.backend(),
        p.device(),
        p.dtype(),
        Map.of("fallback", f.label()));
  }

  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      fallback.close();
    }
  }

  @Override
  public String toString() {
    return "Reranker[" + primary.info().label() + " with fallback " + fallback.info().label() + "]";
  }
}
