package dev.rerankers.transformers.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The cross-encoder ranker (Python's {@code TransformerRanker}): each (query, document) pair is
 * tokenized together, truncated longest-first, and scored by a sequence classifier. Score: the raw
 * logit of a one-label model; for two-label monoBERT models {@code logit[1] − logit[0]}; with
 * {@code sigmoid}, the sigmoid of that. Pairs are sorted by length before batching to cut padding,
 * and scores come back in input order.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class CrossEncoderScorer implements Scorer {
  /** How logits become one score. */
  public enum ScoreRule { LOGIT, MONOBERT_DIFFERENCE }

  private final String model;
  private final HfTokenizer tokenizer;
  private final LogitsModel logits;
  private final ScoreRule rule;
  private final boolean sigmoid;
  private final int batchSize;
  private final RerankerInfo info;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Takes ownership of the tokenizer and the model. */
  public CrossEncoderScorer(
      String model, HfTokenizer tokenizer, LogitsModel logits, ScoreRule rule, boolean sigmoid, int batchSize) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.logits = logits;
    this.rule = rule;
    this.sigmoid = sigmoid;
    this.batchSize = batchSize;
    Map<String, String> details = new LinkedHashMap<>();
    if (logits.architecture() != null) {
      details.put("architecture", logits.architecture());
    }
    details.put("format", logits.format());
    details.put("maxLength", String.valueOf(tokenizer.maxLength().orElse(-1)));
    details.put("batchSize", String.valueOf(batchSize));
    details.put("score", (rule == ScoreRule.MONOBERT_DIFFERENCE ? "logit[1]-logit[0]" : "logit") + (sigmoid ? " (sigmoid)" : ""));
    this.info = new RerankerInfo("cross-encoder", model, "transformers", logits.device(), logits.dtype(), details);
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(info.label() + " is closed");
      }
      return Scores.of(scoreAll(query, documents));
    } finally {
      lock.readLock().unlock();
    }
  }

  private double[] scoreAll(String query, List<Document> documents) {
    int n = documents.size();
    double[] out = new double[n];
    if (n == 0) {
      return out;
    }
    List<String> texts = new ArrayList<>(n);
    for (Document d : documents) {
      texts.add(d.text());
    }
    List<Encoding> encodings = tokenizer.encodePairs(query, texts);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // longest first (stable): similar lengths share a batch, the largest batch runs first
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> encodings.get(i).length()).reversed());
    int labels = logits.numLabels();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<Encoding> batch = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batch.add(encodings.get(order[k]));
      }
      PaddedBatch padded = tokenizer.pad(batch);
      validate(padded, start);
      float[] l;
      try {
        l = logits.logits(padded);
      } catch (RerankerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(info.label() + " failed on a batch of " + padded.size() + " pairs of up to "
            + padded.length() + " tokens: " + e.getMessage(), e);
      }
      for (int k = start; k < end; k++) {
        int row = k - start;
        double s = rule == ScoreRule.MONOBERT_DIFFERENCE
            ? (double) l[row * labels + 1] - l[row * labels]
            : l[row * labels];
        out[order[k]] = sigmoid ? 1 / (1 + Math.exp(-s)) : s;
      }
    }
    return out;
  }

  /** Ids out of the model's tables would make the native lookup fail: check them in Java first. */
  private void validate(PaddedBatch b, int firstRow) {
    long vocab = logits.vocabSize();
    for (long id : b.inputIds()) {
      if (id < 0 || id >= vocab) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + model + " (size " + vocab
            + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
    if (b.hasTokenTypeIds() && logits.typeVocabSize() > 0) {
      for (long t : b.tokenTypeIds()) {
        if (t < 0 || t >= logits.typeVocabSize()) {
          throw new InferenceException("token type id " + t + " is outside the " + logits.typeVocabSize()
              + " segment types of " + model + ": the tokenizer does not match the model");
        }
      }
    }
    if (b.length() > logits.maxLength()) {
      throw new InferenceException("a pair of " + b.length() + " tokens exceeds the " + logits.maxLength()
          + " positions of " + model + " (rows from " + firstRow + ")");
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        try {
          logits.close();
        } finally {
          tokenizer.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
