package dev.rerankers.flashrank.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Batching;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bi-encoder ranker ({@code dense}): query and documents are embedded separately (an ONNX
 * encoder's {@code last_hidden_state}, mean- or CLS-pooled, L2-normalised), and each document's
 * score is the cosine similarity of its vector with the query's, in [-1, 1]. Document vectors are
 * kept in a bounded LRU {@link EmbeddingCache} keyed by the text's SHA-256, so documents seen
 * before are not encoded again; each call reports {@code tokens}, {@code cache_hits} and {@code
 * cache_misses} in its usage.
 *
 * <p>Not a {@link dev.rerankers.spi.BatchedScorer}: the query is encoded once and compared with
 * every document vector, rather than each (query, document) pair run through the model. It shares
 * the encoder ({@link OnnxEncoder}) and the batching ({@link Batching}) of the cross-encoder.
 *
 * <p>Thread-safe: one tokenizer, one ONNX session and one cache serve concurrent calls; {@link
 * #close()} waits for calls in progress.
 */
public final class DenseScorer implements Scorer {
  /** Usage unit: documents whose vector came from the cache. */
  public static final String CACHE_HITS = "cache_hits";
  /** Usage unit: documents that had to be encoded. */
  public static final String CACHE_MISSES = "cache_misses";

  private static final System.Logger LOG = System.getLogger(DenseScorer.class.getName());

  private final RerankerInfo info;
  private final OnnxEncoder encoder;
  private final TokenPooling pooling;
  private final String queryPrefix;
  private final String passagePrefix;
  private final int batchSize;
  private final boolean sortByLength;
  private final EmbeddingCache cache;
  private final CloseGuard guard;

  /** Takes ownership of the encoder. */
  DenseScorer(
      RerankerInfo info,
      OnnxEncoder encoder,
      TokenPooling pooling,
      String queryPrefix,
      String passagePrefix,
      int batchSize,
      boolean sortByLength,
      int cacheSize) {
    this.info = info;
    this.encoder = encoder;
    this.pooling = pooling;
    this.queryPrefix = queryPrefix;
    this.passagePrefix = passagePrefix;
    this.batchSize = batchSize;
    this.sortByLength = sortByLength;
    this.cache = new EmbeddingCache(cacheSize);
    this.guard = new CloseGuard(info.label());
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return guard.call(() -> scoreOpen(query, documents));
  }

  private Scores scoreOpen(String query, List<Document> documents) {
    long[] tokens = new long[1];
    float[] q = embed(List.of(queryPrefix + query), tokens)[0];
    int n = documents.size();
    float[][] vectors = new float[n][];
    Map<EmbeddingCache.Key, List<Integer>> missing = new LinkedHashMap<>();
    Map<EmbeddingCache.Key, String> missingText = new LinkedHashMap<>();
    long hits = 0;
    for (int i = 0; i < n; i++) {
      String text = passagePrefix + documents.get(i).text();
      EmbeddingCache.Key key = EmbeddingCache.key(text);
      float[] v = missing.containsKey(key) ? null : cache.get(key);
      if (v != null) {
        vectors[i] = v;
        hits++;
      } else {
        missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        missingText.putIfAbsent(key, text);
      }
    }
    if (!missing.isEmpty()) {
      List<EmbeddingCache.Key> keys = new ArrayList<>(missing.keySet());
      float[][] fresh = embed(new ArrayList<>(missingText.values()), tokens);
      for (int k = 0; k < keys.size(); k++) {
        cache.put(keys.get(k), fresh[k]);
        for (int i : missing.get(keys.get(k))) {
          vectors[i] = fresh[k];
        }
      }
    }
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = dot(q, vectors[i]);
    }
    return Scores.of(scores).withUsage(new Usage(Map.of(
        Usage.TOKENS, tokens[0], CACHE_HITS, hits, CACHE_MISSES, (long) n - hits)));
  }

  /** Unit-length embeddings of texts (prefixes already applied), in input order. */
  public float[][] embed(List<String> texts, long[] tokenCounter) {
    List<Encoding> enc = encoder.tokenizer().encodeBatch(texts);
    int[] lengths = new int[enc.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = enc.get(i).length();
    }
    float[][] out = new float[texts.size()][];
    for (int[] rows : Batching.plan(lengths, batchSize, sortByLength)) {
      OnnxEncoder.Pass pass = encoder.run(Batching.select(enc, rows), "last_hidden_state");
      OnnxModel.Output o = pass.output();
      int length = pass.input().length();
      int[] real = pass.input().lengths();
      long[] s = o.shape();
      if (s.length == 3 && s[0] == rows.length && s[1] == length) {
        int dim = (int) s[2];
        for (int r = 0; r < rows.length; r++) {
          float[] v = new float[dim];
          pooling.pool(o.data(), length, dim, r, real[r], v);
          TokenPooling.normalize(v);
          out[rows[r]] = v;
        }
      } else if (s.length == 2 && s[0] == rows.length) {
        int dim = (int) s[1];
        for (int r = 0; r < rows.length; r++) {
          float[] v = Arrays.copyOfRange(o.data(), r * dim, (r + 1) * dim);
          TokenPooling.normalize(v);
          out[rows[r]] = v;
        }
      } else {
        throw new InferenceException(info.label() + ": output " + o.name() + " has shape " + Arrays.toString(s)
            + "; expected token vectors [" + rows.length + ", " + length + ", dim] or pooled vectors ["
            + rows.length + ", dim]");
      }
      tokenCounter[0] += pass.input().tokenCount();
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new InferenceException("query and document vectors differ in size: " + a.length + " vs " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** The document-embedding cache's counters. */
  public EmbeddingCache.Stats cacheStats() {
    return cache.stats();
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  /** Waits for calls in progress, then frees the session, the tokenizer and the cache. Idempotent. */
  @Override
  public void close() {
    if (!guard.isClosed()) {
      LOG.log(Level.DEBUG, "{0} closing; embedding cache: {1}", info.label(), cache.stats());
    }
    guard.close(encoder, cache::clear);
  }
}
