package dev.rerankers.spi;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a backend implements: scores for one query and its documents, in input order. The {@link
 * dev.rerankers.Reranker} facade around it validates input, assigns ids, sorts, ranks and times.
 *
 * <p>Documents arrive validated (no nulls, ids assigned, images only if {@link #supportsImages()}).
 * The list may be empty only if the facade's contract changes; today the facade short-circuits
 * empty input. Implementations state their thread safety in their Javadoc; the facade may call
 * {@link #score} from several threads at once.
 */
public interface Scorer extends AutoCloseable {

  /** Scores (or orders) the documents for the query. */
  Scores score(String query, List<Document> documents);

  /**
   * The asynchronous form. The default runs {@link #score} on the executor; HTTP backends override
   * it with non-blocking calls.
   */
  default CompletableFuture<Scores> scoreAsync(
      String query, List<Document> documents, Executor executor) {
    return CompletableFuture.supplyAsync(() -> score(query, documents), executor);
  }

  /**
   * Scores several queries, each with its own documents, in one call: one {@link Scores} per
   * query, in order. The default scores them one by one; pointwise backends (one forward pass per
   * (query, document) pair) override it so pairs of different queries share batches, which is
   * what a server batching concurrent requests, or a Spark partition, needs.
   */
  default List<Scores> scoreAll(List<QueryDocuments> queries) {
    List<Scores> out = new ArrayList<>(queries.size());
    for (QueryDocuments q : queries) {
      out.add(score(q.query(), q.documents()));
    }
    return out;
  }

  /**
   * Whether {@link #scoreAll} puts pairs of several queries into shared forward passes (so many
   * small requests cost about what one large one does), rather than scoring the queries one by
   * one. A server batching concurrent requests asks this to decide whether to coalesce them.
   * False by default; {@link BatchedScorer} says true.
   */
  default boolean sharesBatchesAcrossQueries() {
    return false;
  }

  /** What was loaded. */
  RerankerInfo info();

  /** Whether image documents are accepted. */
  default boolean supportsImages() {
    return false;
  }

  /** Frees the model. Idempotent. */
  @Override
  void close();
}
