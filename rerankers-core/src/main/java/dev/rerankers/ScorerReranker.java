package dev.rerankers;

import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facade around a backend's {@link Scorer}: validates and normalises input, sorts (descending,
 * stable), assigns ranks, times the call. Thread-safe when the scorer is.
 */
final class ScorerReranker implements Reranker {
  private final Scorer scorer;
  private final RerankerInfo info;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ExecutorService asyncExecutor;

  ScorerReranker(Scorer scorer) {
    this.scorer = scorer;
    this.info = scorer.info();
  }

  @Override
  public RankedResults rankDocuments(String query, List<Document> documents) {
    List<Document> docs = prepare(query, documents);
    if (docs.isEmpty()) {
      return new RankedResults(query, List.of(), true, Usage.NONE, info.label(), Duration.ZERO);
    }
    long start = System.nanoTime();
    Scores scores;
    try {
      scores = scorer.score(query, docs);
    } catch (RerankerException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InferenceException(info.label() + " failed to score " + docs.size() + " documents: " + e, e);
    }
    return assemble(query, docs, scores, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public List<RankedResults> rankAll(List<RankRequest> requests) {
    if (requests == null) {
      throw new IllegalArgumentException("requests is null");
    }
    List<QueryDocuments> batch = new ArrayList<>(requests.size());
    List<Integer> positions = new ArrayList<>(requests.size());
    RankedResults[] out = new RankedResults[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      RankRequest r = requests.get(i);
      if (r == null) {
        throw new IllegalArgumentException("requests[" + i + "] is null");
      }
      List<Document> docs;
      try {
        docs = prepare(r.query(), r.documents());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("requests[" + i + "]: " + e.getMessage(), e);
      }
      if (docs.isEmpty()) {
        out[i] = new RankedResults(r.query(), List.of(), true, Usage.NONE, info.label(), Duration.ZERO);
      } else {
        batch.add(new QueryDocuments(r.query(), docs));
        positions.add(i);
      }
    }
    if (!batch.isEmpty()) {
      long start = System.nanoTime();
      List<Scores> scores;
      try {
        scores = scorer.scoreAll(batch);
      } catch (RerankerException | IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(info.label() + " failed to score " + batch.size() + " queries: " + e, e);
      }
      if (scores == null || scores.size() != batch.size()) {
        throw new InferenceException(info.label() + " returned " + (scores == null ? "nothing" : scores.size()
            + " answers") + " for " + batch.size() + " queries");
      }
      // one call served every query: each result reports the call's elapsed time
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      for (int k = 0; k < batch.size(); k++) {
        QueryDocuments q = batch.get(k);
        out[positions.get(k)] = assemble(q.query(), q.documents(), scores.get(k), elapsed);
      }
    }
    return List.of(out);
  }

  @Override
  public CompletableFuture<RankedResults> rankAsync(String query, List<Document> documents) {
    return rankAsync(query, documents, executor());
  }

  @Override
  public CompletableFuture<RankedResults> rankAsync(
      String query, List<Document> documents, Executor executor) {
    if (executor == null) {
      throw new IllegalArgumentException("executor is null");
    }
    List<Document> docs = prepare(query, documents);
    if (docs.isEmpty()) {
      return CompletableFuture.completedFuture(
          new RankedResults(query, List.of(), true, Usage.NONE, info.label(), Duration.ZERO));
    }
    long start = System.nanoTime();
    CompletableFuture<Scores> future;
    try {
      future = scorer.scoreAsync(query, docs, executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return future.handle(
        (scores, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RerankerException || cause instanceof IllegalArgumentException) {
              throw (RuntimeException) cause;
            }
            throw new InferenceException(info.label() + " failed: " + cause, cause);
          }
          return assemble(query, docs, scores, Duration.ofNanos(System.nanoTime() - start));
        });
  }

  @Override
  public boolean sharesBatchesAcrossQueries() {
    return scorer.sharesBatchesAcrossQueries();
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ExecutorService ex = asyncExecutor;
      if (ex != null) {
        ex.shutdown();
      }
      scorer.close();
    }
  }

  @Override
  public String toString() {
    return "Reranker[" + info + "]";
  }

  /** Validates the call and gives every document an id (its position when none has one). */
  private List<Document> prepare(String query, List<Document> documents) {
    if (closed.get()) {
      throw new IllegalStateException(info.label() + " is closed");
    }
    if (query == null) {
      throw new IllegalArgumentException("query is null");
    }
    if (documents == null) {
      throw new IllegalArgumentException("docs is null");
    }
    int n = documents.size();
    int withId = 0;
    for (int i = 0; i < n; i++) {
      Document d = documents.get(i);
      if (d == null) {
        throw new IllegalArgumentException("docs[" + i + "] is null");
      }
      if (d.isImage() && !scorer.supportsImages()) {
        throw new IllegalArgumentException(
            "docs[" + i + "] is an image, but " + info.label() + " ranks text only");
      }
      if (!d.isImage() && d.text() == null) {
        throw new IllegalArgumentException("docs[" + i + "] has no text");
      }
      if (d.id() != null) {
        withId++;
      }
    }
    if (withId != 0 && withId != n) {
      throw new IllegalArgumentException(
          "ids: " + withId + " of " + n + " documents have an id; give every document an id or none");
    }
    List<Document> out = new ArrayList<>(n);
    Map<Object, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Document d = withId == 0 ? documents.get(i).withId(i) : documents.get(i);
      Integer previous = seen.putIfAbsent(Document.idKey(d.id()), i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "ids: duplicate id " + d.id() + " at positions " + previous + " and " + i);
      }
      out.add(d);
    }
    return out;
  }

  private RankedResults assemble(String query, List<Document> docs, Scores scores, Duration elapsed) {
    int n = docs.size();
    if (scores == null || scores.size() != n) {
      throw new InferenceException(
          info.label() + " returned " + (scores == null ? "nothing" : scores.size() + " scores") + " for " + n + " documents");
    }
    List<Result> results = new ArrayList<>(n);
    if (scores.hasScores()) {
      double[] v = scores.values();
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(v[i])) {
          throw new InferenceException(info.label() + " returned NaN for docs[" + i + "]");
        }
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      // Arrays.sort on objects is stable: ties keep input order.
      java.util.Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
      for (int r = 0; r < n; r++) {
        results.add(new Result(docs.get(order[r]), v[order[r]], r + 1));
      }
    } else {
      int[] order = scores.order();
      boolean[] used = new boolean[n];
      for (int r = 0; r < n; r++) {
        int i = order[r];
        if (i < 0 || i >= n || used[i]) {
          throw new InferenceException(
              info.label() + " returned an ordering that is not a permutation of 0.." + (n - 1));
        }
        used[i] = true;
        results.add(new Result(docs.get(i), null, r + 1));
      }
    }
    return new RankedResults(query, results, scores.hasScores(), scores.usage(), info.label(), elapsed);
  }

  private Executor executor() {
    ExecutorService ex = asyncExecutor;
    if (ex == null) {
      synchronized (this) {
        ex = asyncExecutor;
        if (ex == null) {
          AtomicInteger count = new AtomicInteger();
          ThreadFactory tf =
              r -> {
                Thread t = new Thread(r, "rerankers-async-" + info.type() + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              };
          ex = Executors.newCachedThreadPool(tf);
          asyncExecutor = ex;
        }
      }
    }
    return ex;
  }
}
