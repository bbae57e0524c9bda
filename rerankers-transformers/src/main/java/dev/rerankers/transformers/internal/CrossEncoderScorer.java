package dev.rerankers.transformers.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.Batching;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  private final CloseGuard guard;

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
    this.guard = new CloseGuard(info.label());
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return guard.call(() -> Scores.of(scoreAll(query, documents)));
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
    int labels = logits.numLabels();
    for (int[] rows : Batching.longestFirst(encodings, Encoding::length, batchSize)) {
      PaddedBatch padded = tokenizer.pad(Batching.select(encodings, rows));
      validate(padded);
      float[] l;
      try {
        l = logits.logits(padded);
      } catch (RerankerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(info.label() + " failed on a batch of " + padded.size() + " pairs of up to "
            + padded.length() + " tokens: " + e.getMessage(), e);
      }
      for (int row = 0; row < rows.length; row++) {
        double s = rule == ScoreRule.MONOBERT_DIFFERENCE
            ? (double) l[row * labels + 1] - l[row * labels]
            : l[row * labels];
        out[rows[row]] = sigmoid ? 1 / (1 + Math.exp(-s)) : s;
      }
    }
    return out;
  }

  /** Ids out of the model's tables would make the native lookup fail: check them in Java first. */
  private void validate(PaddedBatch b) {
    Batches.checkIds(b.inputIds(), logits.vocabSize(), model);
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
          + " positions of " + model);
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    guard.close(logits, tokenizer);
  }
}
