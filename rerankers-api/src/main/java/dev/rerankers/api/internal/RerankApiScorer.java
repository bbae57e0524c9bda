package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A hosted rerank API as a {@link Scorer}: documents are optionally cut to an approximate token
 * budget, split into requests of at most {@code batchSize} documents (and {@code
 * maxRequestTokens} estimated tokens), sent concurrently through the {@link HttpEngine}, and the
 * provider's scores are put back in input order by {@code index}. Usage is summed over the
 * requests, plus the number of HTTP requests made. Thread-safe.
 */
final class RerankApiScorer implements Scorer {
  private final RerankProtocol protocol;
  private final HttpEngine engine;
  private final HttpUrl url;
  private final Headers headers;
  private final String model;
  private final int batchSize;
  private final Integer topN;
  private final Integer maxLength;
  private final int maxRequestTokens;
  private final RerankerInfo info;

  RerankApiScorer(
      RerankProtocol protocol,
      HttpEngine engine,
      HttpUrl url,
      Headers headers,
      String model,
      int batchSize,
      Integer topN,
      Integer maxLength,
      int maxRequestTokens,
      RerankerInfo info) {
    this.protocol = protocol;
    this.engine = engine;
    this.url = url;
    this.headers = headers;
    this.model = model;
    this.batchSize = batchSize;
    this.topN = topN;
    this.maxLength = maxLength;
    this.maxRequestTokens = maxRequestTokens;
    this.info = info;
  }

  /**
   * Synchronous: a single request runs on the calling thread; split requests go out concurrently
   * through okhttp's dispatcher while the caller waits.
   */
  @Override
  public Scores score(String query, List<Document> documents) {
    long deadline = System.nanoTime() + engine.settings().timeout().toNanos();
    List<String> texts = texts(documents);
    List<int[]> chunks = plan(query, texts);
    if (chunks.size() == 1) {
      Request r = request(query, texts);
      return merge(chunks, List.of(engine.postBlocking(url, headers, r.body(), deadline, r.parser())), texts.size());
    }
    return Futures.await(scoreAll(query, texts, chunks, deadline), protocol.provider());
  }

  @Override
  public CompletableFuture<Scores> scoreAsync(String query, List<Document> documents, Executor executor) {
    long deadline = System.nanoTime() + engine.settings().timeout().toNanos();
    List<String> texts = texts(documents);
    return Futures.on(scoreAll(query, texts, plan(query, texts), deadline), executor);
  }

  private List<String> texts(List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(maxLength == null ? d.text() : TokenEstimator.truncate(d.text(), maxLength));
    }
    return texts;
  }

  /** One request's body and the parser of its answer. */
  private record Request(byte[] body, HttpEngine.Parser<RerankProtocol.Page> parser) {}

  private Request request(String query, List<String> slice) {
    int n = slice.size();
    Integer askTop = topN == null ? null : Math.min(topN, n);
    boolean partial = askTop != null && askTop < n;
    byte[] body = Json.bytes(protocol.body(model, query, slice, askTop, maxLength));
    return new Request(body, bytes -> protocol.parse(Json.parse(bytes), n, partial));
  }

  private CompletableFuture<Scores> scoreAll(String query, List<String> texts, List<int[]> chunks, long deadline) {
    List<CompletableFuture<HttpEngine.Answer<RerankProtocol.Page>>> parts = new ArrayList<>(chunks.size());
    for (int[] c : chunks) {
      Request r = request(query, texts.subList(c[0], c[1]));
      parts.add(engine.post(url, headers, r.body(), deadline, r.parser()));
    }
    return Futures.allOrFirstFailure(parts).thenApply(answers -> merge(chunks, answers, texts.size()));
  }

  /** Request boundaries: at most batchSize documents and (when set) maxRequestTokens estimated tokens each. */
  List<int[]> plan(String query, List<String> texts) {
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

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "RerankApiScorer[" + info + "]";
  }
}
