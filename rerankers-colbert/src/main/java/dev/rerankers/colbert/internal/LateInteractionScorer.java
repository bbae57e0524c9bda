package dev.rerankers.colbert.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.spi.QueryDocuments;
import dev.rerankers.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * A late-interaction ranker on the {@link BatchedScorer} template: the query and the documents are
 * encoded separately into token vectors, and each document is scored by MaxSim as its {@link
 * LateInteractionRecipe} says. One pair is (the query's vectors, a document's vectors); a batch
 * encodes the documents of its pairs that have no vectors yet (longest first, {@code batchSize}
 * pairs at a time, pairs of several queries mixed), each query on its own the first time one of
 * its pairs is scored, then takes MaxSim per query.
 *
 * <p>Document vectors are kept in a bounded {@link DocumentCache} by text, so ranking overlapping
 * candidate sets for several queries encodes each document once; within one {@link #scoreAll}
 * call a document two queries share is encoded once too. A call's {@link Usage} reports, per
 * query, {@value #ENCODED_DOCUMENTS} (distinct texts this query brought to be encoded: a text
 * given twice is encoded once) and {@value #CACHED_DOCUMENTS} (distinct texts whose vectors were
 * already there: in the cache, or brought by an earlier query of the same call), and {@value
 * #ENCODED_QUERIES}.
 *
 * <p>Thread-safe: concurrent calls share the model and the cache (two calls missing the same
 * document at once may both encode it). {@link #close()} waits for calls in progress.
 */
public final class LateInteractionScorer extends BatchedScorer<LateInteractionScorer.Pair> {
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
   * @param documentsFromCache documents scored from vectors already there (cached, or encoded for
   *     another query of the same call)
   * @param cache the cache's own figures
   */
  public record Stats(long queriesEncoded, long documentsEncoded, long documentsFromCache, DocumentCache.Stats cache) {}

  /**
   * One query of a call: its model input, its vectors (computed by the first batch holding one of
   * its pairs), and what it needed. Confined to the calling thread.
   */
  static final class QueryVectors {
    final TokenRow row;
    final double divisor;
    /** The most vectors of any of the query's candidates: PyLate pads shorter ones with zeros up to it. */
    final int longest;
    final int encodedDocuments;
    final int cachedDocuments;
    float[] vectors;

    QueryVectors(TokenRow row, double divisor, int longest, int encodedDocuments, int cachedDocuments) {
      this.row = row;
      this.divisor = divisor;
      this.longest = longest;
      this.encodedDocuments = encodedDocuments;
      this.cachedDocuments = cachedDocuments;
    }
  }

  /**
   * One distinct document input of a call: vectors from the cache, or a row to encode (then
   * cached). Shared by every pair of the call that needs this text in this variant; confined to
   * the calling thread.
   */
  static final class DocumentVectors {
    final DocumentCache.Key key;
    final int length;
    final int variant;
    /** The model input, or null when the vectors came from the cache. */
    final TokenRow row;
    float[] vectors;

    DocumentVectors(DocumentCache.Key key, int length, int variant, TokenRow row, float[] vectors) {
      this.key = key;
      this.length = length;
      this.variant = variant;
      this.row = row;
      this.vectors = vectors;
    }
  }

  /**
   * One (query, document) pair: handles to both vector sets, shared with the call's other pairs.
   *
   * @param query the query's vectors
   * @param document the document's vectors
   */
  record Pair(QueryVectors query, DocumentVectors document) {}

  /** Documents needing encoding are the same work when text and variant agree. */
  private record Needed(DocumentCache.Key key, int variant) {}

  private final LateInteractionRecipe recipe;
  private final LateInteractionModel encoder;
  private final DocumentCache cache;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong encoded = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();

  /** Takes ownership of the model and of {@code owned} (tokenizers), closed with it. */
  public LateInteractionScorer(String model, LateInteractionRecipe recipe, LateInteractionModel encoder,
      DocumentCache cache, int batchSize, Map<String, String> extraDetails, AutoCloseable... owned) {
    super(info(model, recipe, encoder, cache, batchSize, extraDetails), batchSize, resources(cache, encoder, owned));
    this.recipe = recipe;
    this.encoder = encoder;
    this.cache = cache;
  }

  private static RerankerInfo info(String model, LateInteractionRecipe recipe, LateInteractionModel encoder,
      DocumentCache cache, int batchSize, Map<String, String> extraDetails) {
    Map<String, String> details = new LinkedHashMap<>(extraDetails);
    details.put("dim", String.valueOf(encoder.dim()));
    details.put("runtime", encoder.onGraph() ? "onnx" : "torch");
    details.putAll(recipe.details());
    details.put("batchSize", String.valueOf(batchSize));
    long mib = cache.stats().capacityBytes() >> 20;
    details.put("cache", mib == 0 ? "off" : mib + " MiB");
    return new RerankerInfo(recipe.type(), model, "colbert", encoder.onGraph() ? "cpu" : encoder.placement().deviceName(),
        encoder.onGraph() ? encoder.graphDtype() : encoder.placement().dtypeName(), details);
  }

  private static AutoCloseable[] resources(DocumentCache cache, LateInteractionModel encoder, AutoCloseable[] owned) {
    AutoCloseable[] resources = new AutoCloseable[owned.length + 2];
    resources[0] = cache::clear;
    resources[1] = encoder;
    System.arraycopy(owned, 0, resources, 2, owned.length);
    return resources;
  }

  @Override
  protected List<Pair> encode(String query, List<Document> documents) {
    return encodeAll(List.of(new QueryDocuments(query, documents))).get(0);
  }

  @Override
  protected List<List<Pair>> encodeAll(List<QueryDocuments> queries) {
    Map<Needed, DocumentVectors> needed = new HashMap<>();
    List<List<Pair>> out = new ArrayList<>(queries.size());
    for (QueryDocuments q : queries) {
      out.add(pairs(q.query(), q.documents(), needed));
    }
    return out;
  }

  /**
   * The query's pairs: each distinct text's vectors from the cache when they were computed for
   * the variant this candidate set needs, else from {@code needed} (an earlier query of the call
   * brings them), else a new input to encode, registered there.
   */
  private List<Pair> pairs(String query, List<Document> documents, Map<Needed, DocumentVectors> needed) {
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
    boolean[] stale = new boolean[n];
    for (int i = 0; i < n; i++) {
      stale[i] = entries[i] == null || entries[i].variant() != variants[i];
    }
    tokenize(texts, tokens, i -> stale[i] && tokens[i] == null);
    DocumentVectors[] vectors = new DocumentVectors[n];
    int fresh = 0;
    int longest = 0;
    for (int i = 0; i < n; i++) {
      if (!stale[i]) {
        vectors[i] = new DocumentVectors(keys[i], lengths[i], variants[i], null, entries[i].vectors());
      } else {
        Needed key = new Needed(keys[i], variants[i]);
        vectors[i] = needed.get(key);
        if (vectors[i] == null) {
          vectors[i] = new DocumentVectors(keys[i], lengths[i], variants[i], recipe.document(tokens[i], variants[i]),
              null);
          needed.put(key, vectors[i]);
          fresh++;
        }
      }
      longest = Math.max(longest, count(vectors[i]));
    }
    cached.addAndGet(n - fresh);
    TokenRow row = recipe.query(query);
    QueryVectors q = new QueryVectors(row, recipe.divisor(row), longest, fresh, n - fresh);
    List<Pair> out = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      out.add(new Pair(q, vectors[slot[i]]));
    }
    return out;
  }

  /** The number of vectors a document has (or will have: one per kept position). */
  private int count(DocumentVectors d) {
    return d.vectors != null ? d.vectors.length / encoder.dim() : d.row.keptCount();
  }

  private void tokenize(List<String> texts, Encoding[] tokens, IntPredicate wanted) {
    List<Integer> idx = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (wanted.test(i)) {
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

  /** Pairs whose document needs encoding sort by its length; the others cost only MaxSim. */
  @Override
  protected int length(Pair pair) {
    return pair.document().row != null ? pair.document().row.length() : 0;
  }

  @Override
  protected double[] scoreBatch(List<Pair> batch) {
    Map<QueryVectors, List<Integer>> byQuery = new IdentityHashMap<>();
    List<QueryVectors> order = new ArrayList<>();
    Map<DocumentVectors, Boolean> seen = new IdentityHashMap<>();
    List<DocumentVectors> todo = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pair p = batch.get(i);
      byQuery.computeIfAbsent(p.query(), q -> {
        order.add(q);
        return new ArrayList<>();
      }).add(i);
      if (p.document().vectors == null && seen.put(p.document(), Boolean.TRUE) == null) {
        todo.add(p.document());
      }
    }
    for (QueryVectors q : order) {
      if (q.vectors == null) {
        q.vectors = encoder.encode(List.of(q.row)).get(0); // each query alone, as Python encodes it
        queries.incrementAndGet();
      }
    }
    if (!todo.isEmpty()) {
      List<TokenRow> rows = new ArrayList<>(todo.size());
      for (DocumentVectors d : todo) {
        rows.add(d.row);
      }
      List<float[]> vectors = encoder.encode(rows);
      for (int k = 0; k < todo.size(); k++) {
        DocumentVectors d = todo.get(k);
        d.vectors = vectors.get(k);
        cache.put(d.key, new DocumentCache.Entry(d.length, d.variant, d.vectors));
      }
      encoded.addAndGet(todo.size());
    }
    double[] scores = new double[batch.size()];
    try (var m = encoder.manager().newSubManager()) {
      for (QueryVectors q : order) {
        List<Integer> positions = byQuery.get(q);
        List<float[]> documents = new ArrayList<>(positions.size());
        for (int i : positions) {
          documents.add(batch.get(i).document().vectors);
        }
        float[][] maxima = MaxSim.tokenMaxima(m, q.vectors, encoder.dim(), documents);
        for (int k = 0; k < positions.size(); k++) {
          boolean padded = recipe.zeroPadded() && documents.get(k).length / encoder.dim() < q.longest;
          scores[positions.get(k)] = MaxSim.score(maxima[k], padded, q.divisor);
        }
      }
    }
    return scores;
  }

  @Override
  protected Usage usage(List<Pair> pairs) {
    if (pairs.isEmpty()) {
      return new Usage(Map.of(ENCODED_DOCUMENTS, 0L, CACHED_DOCUMENTS, 0L, ENCODED_QUERIES, 0L));
    }
    QueryVectors q = pairs.get(0).query();
    return new Usage(Map.of(ENCODED_DOCUMENTS, (long) q.encodedDocuments, CACHED_DOCUMENTS,
        (long) q.cachedDocuments, ENCODED_QUERIES, 1L));
  }

  /** The recipe (tests compare its inputs with Python's). */
  LateInteractionRecipe recipe() {
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
}
