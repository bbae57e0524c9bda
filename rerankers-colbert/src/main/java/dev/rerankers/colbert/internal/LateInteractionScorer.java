package dev.rerankers.colbert.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Batching;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A late-interaction ranker: the query and the documents are encoded separately into token
 * vectors (queries alone, documents in length-sorted batches of {@code batchSize}), and each
 * document is scored by MaxSim as its {@link Recipe} says. Document vectors are kept in a bounded
 * {@link DocumentCache} by text, so ranking overlapping candidate sets for several queries encodes
 * each document once; a call's {@link Usage} reports {@value #ENCODED_DOCUMENTS} and {@value
 * #CACHED_DOCUMENTS} (distinct texts: a text given twice in one call is encoded once) and {@value
 * #ENCODED_QUERIES}.
 *
 * <p>Thread-safe: concurrent calls share the model and the cache (two calls missing the same
 * document at once may both encode it). {@link #close()} waits for calls in progress.
 */
public final class LateInteractionScorer implements Scorer {
  /** Usage unit: documents encoded by this call. */
  public static final String ENCODED_DOCUMENTS = "encoded_documents";
  /** Usage unit: documents whose vectors came from the cache. */
  public static final String CACHED_DOCUMENTS = "cached_documents";
  /** Usage unit: queries encoded. */
  public static final String ENCODED_QUERIES = "encoded_queries";

  /**
   * Counters since loading.
   *
   * @param queriesEncoded queries encoded
   * @param documentsEncoded document encodings computed (a text encoded twice counts twice)
   * @param documentsFromCache documents scored from cached vectors
   * @param cache the cache's own figures
   */
  public record Stats(long queriesEncoded, long documentsEncoded, long documentsFromCache, DocumentCache.Stats cache) {}

  private final String model;
  private final Recipe recipe;
  private final LateInteractionModel encoder;
  private final DocumentCache cache;
  private final int batchSize;
  private final RerankerInfo info;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong encoded = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();
  private final CloseGuard guard;
  private final AutoCloseable[] owned;

  /** Takes ownership of the model and of {@code owned} (tokenizers), closed with it. */
  public LateInteractionScorer(String model, Recipe recipe, LateInteractionModel encoder, DocumentCache cache,
      int batchSize, Map<String, String> extraDetails, AutoCloseable... owned) {
    this.model = model;
    this.recipe = recipe;
    this.encoder = encoder;
    this.cache = cache;
    this.batchSize = batchSize;
    this.owned = owned.clone();
    Map<String, String> details = new LinkedHashMap<>(extraDetails);
    details.put("dim", String.valueOf(encoder.dim()));
    details.putAll(recipe.details());
    details.put("batchSize", String.valueOf(batchSize));
    long mib = cache.stats().capacityBytes() >> 20;
    details.put("cache", mib == 0 ? "off" : mib + " MiB");
    this.info = new RerankerInfo(recipe.type(), model, "colbert", encoder.weights().placement().deviceName(),
        encoder.weights().placement().dtypeName(), details);
    this.guard = new CloseGuard(info.label());
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return guard.call(() -> {
      try {
        return scoreAll(query, documents);
      } catch (RerankerException | IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(info.label() + " failed on a query and " + documents.size() + " documents: "
            + e.getMessage(), e);
      }
    });
  }

  private Scores scoreAll(String query, List<Document> documents) {
    TokenRow q = recipe.query(query);
    float[] qv = encoder.encode(List.of(q)).get(0);
    queries.incrementAndGet();
    // one slot per distinct text
    Map<String, Integer> slotOf = new HashMap<>();
    List<String> texts = new ArrayList<>();
    int[] slot = new int[documents.size()];
    for (int i = 0; i < documents.size(); i++) {
      String t = documents.get(i).text();
      Integer s = slotOf.get(t);
      if (s == null) {
        s = texts.size();
        slotOf.put(t, s);
        texts.add(t);
      }
      slot[i] = s;
    }
    int n = texts.size();
    DocumentCache.Key[] keys = new DocumentCache.Key[n];
    DocumentCache.Entry[] entries = new DocumentCache.Entry[n];
    for (int i = 0; i < n; i++) {
      keys[i] = DocumentCache.Key.of(texts.get(i));
      entries[i] = cache.get(keys[i]);
    }
    Encoding[] tokens = new Encoding[n];
    tokenize(texts, tokens, i -> entries[i] == null);
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = entries[i] != null ? entries[i].length() : tokens[i].length();
    }
    int[] variants = recipe.variants(lengths);
    List<Integer> todo = new ArrayList<>();
    boolean[] needed = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (entries[i] == null || entries[i].variant() != variants[i]) {
        todo.add(i);
        needed[i] = true;
      }
    }
    tokenize(texts, tokens, i -> needed[i] && tokens[i] == null);
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      if (entries[i] != null && entries[i].variant() == variants[i]) {
        vectors[i] = entries[i].vectors();
      }
    }
    encodeDocuments(todo, tokens, variants, vectors);
    for (int i : todo) {
      cache.put(keys[i], new DocumentCache.Entry(lengths[i], variants[i], vectors[i]));
    }
    encoded.addAndGet(todo.size());
    cached.addAndGet(n - todo.size());
    float[][] maxima;
    try (var m = encoder.weights().manager().newSubManager()) {
      maxima = MaxSim.tokenMaxima(m, qv, encoder.dim(), Arrays.asList(vectors));
    }
    int[] counts = new int[n];
    for (int i = 0; i < n; i++) {
      counts[i] = vectors[i].length / encoder.dim();
    }
    double[] perText = MaxSim.scores(maxima, counts, recipe.divisor(q), recipe.zeroPadded());
    double[] out = new double[documents.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = perText[slot[i]];
    }
    Usage usage = new Usage(Map.of(ENCODED_DOCUMENTS, (long) todo.size(), CACHED_DOCUMENTS,
        (long) (n - todo.size()), ENCODED_QUERIES, 1L));
    return Scores.of(out).withUsage(usage);
  }

  private void tokenize(List<String> texts, Encoding[] tokens, java.util.function.IntPredicate needed) {
    List<Integer> idx = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (needed.test(i)) {
        idx.add(i);
        batch.add(texts.get(i));
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Encoding> enc = recipe.tokenize(batch);
    for (int k = 0; k < idx.size(); k++) {
      tokens[idx.get(k)] = enc.get(k);
    }
  }

  /** Encodes the documents in {@code todo}, longest first, {@code batchSize} at a time. */
  private void encodeDocuments(List<Integer> todo, Encoding[] tokens, int[] variants, float[][] vectors) {
    List<TokenRow> rows = new ArrayList<>(todo.size());
    for (int i : todo) {
      rows.add(recipe.document(tokens[i], variants[i]));
    }
    for (int[] order : Batching.longestFirst(rows, TokenRow::length, batchSize)) {
      List<float[]> out = encoder.encode(Batching.select(rows, order));
      for (int k = 0; k < order.length; k++) {
        vectors[todo.get(order[k])] = out.get(k);
      }
    }
  }

  /** The recipe (tests compare its inputs with Python's). */
  Recipe recipe() {
    return recipe;
  }

  /** The encoder (tests). */
  LateInteractionModel model() {
    return encoder;
  }

  /** Counters since loading. */
  public Stats stats() {
    return new Stats(queries.get(), encoded.get(), cached.get(), cache.stats());
  }

  /** Drops every cached document vector. */
  public void clearCache() {
    cache.clear();
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    AutoCloseable[] resources = new AutoCloseable[owned.length + 2];
    resources[0] = cache::clear;
    resources[1] = encoder;
    System.arraycopy(owned, 0, resources, 2, owned.length);
    guard.close(resources);
  }
}
