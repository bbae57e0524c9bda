package dev.rerankers.spi;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The template of every pointwise local scorer: encode each (query, document) pair, group the
 * encodings into longest-first batches, score each batch with one forward pass, and scatter the
 * scores back to input order. It owns the parts that are the same everywhere: the {@link
 * CloseGuard} (concurrent calls, one close that waits for them), the batching, the scatter, the
 * checks on what a batch returns, and the one place an engine failure is wrapped with its context.
 * A subclass gives only what differs:
 *
 * <pre>{@code
 * final class MyScorer extends BatchedScorer<Encoding> {
 *   MyScorer(RerankerInfo info, int batchSize, Tokenizer t, Model m) { super(info, batchSize, m, t); ... }
 *   protected List<Encoding> encode(String query, List<Document> docs) { return t.encodePairs(query, texts(docs)); }
 *   protected int length(Encoding e) { return e.length(); }
 *   protected double[] scoreBatch(List<Encoding> batch) { return m.logits(pad(batch)); }
 * }
 * }</pre>
 *
 * <p>Pairs of several queries share batches in {@link #scoreAll}: the encodings of all queries are
 * batched together, so a server or a Spark partition fills its forward passes.
 *
 * <p>Thread-safe when {@link #encode} and {@link #scoreBatch} are (they are called concurrently by
 * concurrent callers); {@link #close()} waits for calls in progress, then closes the resources
 * given to the constructor, in order.
 *
 * @param <E> one encoded pair
 */
public abstract class BatchedScorer<E> implements Scorer {
  private final RerankerInfo info;
  private final int batchSize;
  private final CloseGuard guard;
  private final AutoCloseable[] resources;

  /**
   * @param info what was loaded (its label names the scorer in messages)
   * @param batchSize the most pairs per batch, at least 1
   * @param resources closed by {@link #close()} in this order (model, tokenizer, ...)
   */
  protected BatchedScorer(RerankerInfo info, int batchSize, AutoCloseable... resources) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.info = info;
    this.batchSize = batchSize;
    this.guard = new CloseGuard(info.label());
    this.resources = resources.clone();
  }

  /** The query's documents as encoded pairs, one per document, in input order. */
  protected abstract List<E> encode(String query, List<Document> documents);

  /** An encoded pair's length in tokens, for grouping similar lengths. */
  protected abstract int length(E encoded);

  /**
   * Scores one batch (pairs of possibly several queries): one score per pair, in batch order.
   * Engine failures may escape as any runtime exception; they are wrapped once, with context.
   */
  protected abstract double[] scoreBatch(List<E> batch);

  /**
   * Every query's pairs, one list per query, in order. The default encodes each query on its own
   * with {@link #encode}; a scorer whose queries can share work within one call (a document that
   * several queries rank, encoded once) overrides it.
   */
  protected List<List<E>> encodeAll(List<QueryDocuments> queries) {
    List<List<E>> out = new ArrayList<>(queries.size());
    for (QueryDocuments qd : queries) {
      out.add(encode(qd.query(), qd.documents()));
    }
    return out;
  }

  /**
   * What one query's pairs consumed, reported in its {@link Scores#usage()} (e.g. {@link
   * Usage#TOKENS}); called after they were scored. The default reports nothing.
   */
  protected Usage usage(List<E> encoded) {
    return Usage.NONE;
  }

  /** The most pairs per batch. */
  protected final int batchSize() {
    return batchSize;
  }

  /**
   * Whether batches group pairs of similar length, longest first (the default). A scorer returns
   * false to batch in input order, e.g. to reproduce a reference implementation's batches exactly.
   */
  protected boolean sortsByLength() {
    return true;
  }

  /** True: {@link #scoreAll} batches the pairs of all its queries together. */
  @Override
  public boolean sharesBatchesAcrossQueries() {
    return true;
  }

  @Override
  public final Scores score(String query, List<Document> documents) {
    return scoreAll(List.of(new QueryDocuments(query, documents))).get(0);
  }

  @Override
  public final List<Scores> scoreAll(List<QueryDocuments> queries) {
    return guard.call(() -> scoreUnguarded(queries));
  }

  private List<Scores> scoreUnguarded(List<QueryDocuments> queries) {
    List<E> pairs = new ArrayList<>();
    int[] starts = new int[queries.size() + 1];
    List<List<E>> perQuery = encodeAll(queries);
    if (perQuery.size() != queries.size()) {
      throw new IllegalStateException(info.label() + " encoded " + perQuery.size() + " queries of " + queries.size());
    }
    for (int q = 0; q < queries.size(); q++) {
      QueryDocuments qd = queries.get(q);
      List<E> encoded = perQuery.get(q);
      if (encoded.size() != qd.documents().size()) {
        throw new IllegalStateException(info.label() + " encoded " + encoded.size() + " pairs for "
            + qd.documents().size() + " documents");
      }
      pairs.addAll(encoded);
      starts[q + 1] = pairs.size();
    }
    double[] scores = new double[pairs.size()];
    int[] lengths = new int[pairs.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = length(pairs.get(i));
    }
    for (int[] rows : Batching.plan(lengths, batchSize, sortsByLength())) {
      List<E> batch = Batching.select(pairs, rows);
      double[] s = scoreWithContext(batch);
      if (s.length != rows.length) {
        throw new InferenceException(info.label() + " returned " + s.length + " scores for a batch of " + rows.length);
      }
      for (int r = 0; r < rows.length; r++) {
        scores[rows[r]] = s[r];
      }
    }
    List<Scores> out = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      double[] part = new double[starts[q + 1] - starts[q]];
      System.arraycopy(scores, starts[q], part, 0, part.length);
      out.add(Scores.of(part).withUsage(usage(perQuery.get(q))));
    }
    return out;
  }

  private double[] scoreWithContext(List<E> batch) {
    try {
      return scoreBatch(batch);
    } catch (RerankerException e) {
      throw e;
    } catch (RuntimeException e) {
      int longest = 0;
      for (E item : batch) {
        longest = Math.max(longest, length(item));
      }
      throw new InferenceException(info.label() + " failed on a batch of " + batch.size() + " inputs of up to "
          + longest + " tokens: " + e.getMessage(), e);
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    guard.close(resources);
  }
}
