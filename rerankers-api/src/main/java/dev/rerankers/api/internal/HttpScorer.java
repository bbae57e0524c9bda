package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A scorer whose work is HTTP calls through one {@link HttpEngine}: a subclass says how to {@link
 * #send} a query's documents; {@code score} waits for that future on the calling thread (which
 * sends a lone request itself, see {@link CallerRuns}) and {@code scoreAsync} hands it to the
 * caller's executor, so both run the same requests and retries. Thread-safe when {@link #send} is.
 */
abstract class HttpScorer implements Scorer {
  private final HttpEngine engine;
  private final RerankerInfo info;

  HttpScorer(HttpEngine engine, RerankerInfo info) {
    this.engine = engine;
    this.info = info;
  }

  /**
   * Sends the requests for one query; the future fails with the typed exceptions of {@code
   * dev.rerankers.api}.
   *
   * @param caller the thread waiting for the answer, to send requests that go one at a time
   *     (a lone request, sequential windows); {@code null} for {@code scoreAsync}. Requests sent
   *     concurrently go through the dispatcher either way.
   */
  abstract CompletableFuture<Scores> send(String query, List<Document> documents, CallerRuns caller);

  @Override
  public final Scores score(String query, List<Document> documents) {
    CallerRuns caller = new CallerRuns();
    return caller.await(send(query, documents, caller), info.type());
  }

  @Override
  public final CompletableFuture<Scores> scoreAsync(String query, List<Document> documents, Executor executor) {
    return Handoff.to(executor, send(query, documents, null));
  }

  /** Waits on the calling thread for a future that needs nothing from it. */
  final <T> T await(CompletableFuture<T> future) {
    return new CallerRuns().await(future, info.type());
  }

  /** The engine (tests check what rankers share). */
  final HttpEngine engine() {
    return engine;
  }

  /** The deadline of a call starting now ({@code timeout} from now, as a {@link System#nanoTime()} instant). */
  final long deadline() {
    return System.nanoTime() + engine.settings().timeout().toNanos();
  }

  /** The texts of {@code documents[from, to)}, each cut to about {@code maxLength} tokens when that is set. */
  static List<String> texts(List<Document> documents, int from, int to, Integer maxLength) {
    List<String> texts = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      String t = documents.get(i).text();
      texts.add(maxLength == null ? t : TokenEstimator.truncate(t, maxLength));
    }
    return texts;
  }

  @Override
  public final RerankerInfo info() {
    return info;
  }

  /** Fails what is pending, cancels what is in flight, and gives back the shared HTTP resources. */
  @Override
  public final void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + info + "]";
  }
}
