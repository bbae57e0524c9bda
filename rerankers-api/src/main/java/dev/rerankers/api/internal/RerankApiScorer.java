package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A hosted rerank API as a {@link dev.rerankers.spi.Scorer}: documents are optionally cut to an approximate token
 * budget, split into requests of at most {@code batchSize} documents (and {@code
 * maxRequestTokens} estimated tokens), sent concurrently through the {@link HttpEngine}, and the
 * provider's scores are put back in input order by {@code index}. Usage is summed over the
 * requests, plus the number of HTTP requests made. {@code score} waits for the same asynchronous
 * requests {@code scoreAsync} sends; {@code scoreAll} sends the requests of every query at once.
 * Thread-safe.
 */
final class RerankApiScorer extends HttpScorer {

  /**
   * What one load asked for.
   *
   * @param topN the number of results to ask for per request, or {@code null} for all
   * @param maxLength the approximate per-document token budget, or {@code null} for none
   * @param maxRequestTokens the approximate token budget per request (0: none)
   */
  record Settings(String model, int batchSize, Integer topN, Integer maxLength, int maxRequestTokens) {}

  private final RerankProtocol protocol;
  private final HttpEngine engine;
  private final Settings settings;

  RerankApiScorer(RerankProtocol protocol, HttpEngine engine, Settings settings, RerankerInfo info) {
    super(engine, info);
    this.protocol = protocol;
    this.engine = engine;
    this.settings = settings;
  }

  /** Every query's requests go out together, each query with its own deadline. */
  @Override
  public List<Scores> scoreAll(List<QueryDocuments> queries) {
    List<CompletableFuture<Scores>> parts = new ArrayList<>(queries.size());
    for (QueryDocuments q : queries) {
      parts.add(send(q.query(), q.documents(), null));
    }
    return await(FanOut.allOrFirstFailure(parts));
  }

  /** A lone request goes from the caller's thread; split requests go out together through the dispatcher. */
  @Override
  CompletableFuture<Scores> send(String query, List<Document> documents, CallerRuns caller) {
    long deadline = deadline();
    List<String> texts = texts(documents, 0, documents.size(), settings.maxLength());
    List<int[]> chunks = plan(query, texts);
    List<CompletableFuture<HttpEngine.Answer<RerankProtocol.Page>>> parts = new ArrayList<>(chunks.size());
    for (int[] c : chunks) {
      List<String> slice = texts.subList(c[0], c[1]);
      int n = slice.size();
      Integer askTop = settings.topN() == null ? null : Math.min(settings.topN(), n);
      boolean partial = askTop != null && askTop < n;
      byte[] body = WireJson.bytes(protocol.body(settings.model(), query, slice, askTop, settings.maxLength()));
      parts.add(engine.post(body, deadline, bytes -> protocol.parse(WireJson.parse(bytes), n, partial),
          chunks.size() == 1 ? caller : null));
    }
    if (parts.size() == 1) {
      return parts.get(0).thenApply(a -> merge(chunks, List.of(a), texts.size()));
    }
    return FanOut.allOrFirstFailure(parts).thenApply(answers -> merge(chunks, answers, texts.size()));
  }

  /** Request boundaries: at most batchSize documents and (when set) maxRequestTokens estimated tokens each. */
  List<int[]> plan(String query, List<String> texts) {
    int batchSize = settings.batchSize();
    int maxRequestTokens = settings.maxRequestTokens();
    List<int[]> out = new ArrayList<>();
    int n = texts.size();
    int queryTokens = maxRequestTokens > 0 ? TokenEstimator.count(query) : 0;
    int start = 0;
    long tokens = 0;
    for (int i = 0; i < n; i++) {
      long docTokens = maxRequestTokens > 0 ? queryTokens + (long) TokenEstimator.count(texts.get(i)) : 0;
      if (i > start && (i - start >= batchSize || (maxRequestTokens > 0 && tokens + docTokens > maxRequestTokens))) {
        out.add(new int[] {start, i});
        start = i;
        tokens = 0;
      }
      tokens += docTokens;
    }
    if (start < n) {
      out.add(new int[] {start, n});
    }
    return out;
  }

  private static Scores merge(List<int[]> chunks, List<HttpEngine.Answer<RerankProtocol.Page>> answers, int n) {
    double[] all = new double[n];
    Usage usage = Usage.NONE;
    long requests = 0;
    for (int k = 0; k < chunks.size(); k++) {
      HttpEngine.Answer<RerankProtocol.Page> a = answers.get(k);
      double[] s = a.value().scores();
      System.arraycopy(s, 0, all, chunks.get(k)[0], s.length);
      usage = usage.plus(a.value().usage());
      requests += a.attempts();
    }
    return Scores.of(all).withUsage(usage.plus(Usage.of(Usage.REQUESTS, requests)));
  }
}
