package dev.rerankers.transformers.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformers cross-encoder ranker (Python's {@code TransformerRanker}): each (query,
 * document) pair is tokenized together, truncated longest-first, and scored by a sequence
 * classifier in any {@link CheckpointFormat}. Score: the raw logit of a one-label model; for
 * two-label monoBERT models {@code logit[1] − logit[0]}; with {@code sigmoid}, the sigmoid of that.
 * Batching, input order and error context come from {@link BatchedScorer}; a batch larger than the
 * CPU budget is split into passes by the model ({@link NativeLogits}).
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class TransformerCrossEncoderScorer extends BatchedScorer<Encoding> {
  /** How logits become one score. */
  public enum ScoreRule { LOGIT, MONOBERT_DIFFERENCE }

  private final String model;
  private final HfTokenizer tokenizer;
  private final LogitsModel logits;
  private final ScoreRule rule;
  private final boolean sigmoid;

  /** Takes ownership of the tokenizer and the model. */
  public TransformerCrossEncoderScorer(
      String model, HfTokenizer tokenizer, LogitsModel logits, ScoreRule rule, boolean sigmoid, int batchSize) {
    super(info(model, tokenizer, logits, rule, sigmoid, batchSize), batchSize, logits, tokenizer);
    this.model = model;
    this.tokenizer = tokenizer;
    this.logits = logits;
    this.rule = rule;
    this.sigmoid = sigmoid;
  }

  private static RerankerInfo info(
      String model, HfTokenizer tokenizer, LogitsModel logits, ScoreRule rule, boolean sigmoid, int batchSize) {
    Map<String, String> details = new LinkedHashMap<>();
    if (logits.architecture() != null) {
      details.put("architecture", logits.architecture());
    }
    details.put("format", logits.format());
    details.put("runtime", logits.runtime());
    details.put("maxLength", String.valueOf(tokenizer.maxLength().orElse(-1)));
    details.put("batchSize", String.valueOf(batchSize));
    details.put("score", (rule == ScoreRule.MONOBERT_DIFFERENCE ? "logit[1]-logit[0]" : "logit") + (sigmoid ? " (sigmoid)" : ""));
    return new RerankerInfo("cross-encoder", model, "transformers", logits.device(), logits.dtype(), details);
  }

  @Override
  protected List<Encoding> encode(String query, List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(d.text());
    }
    return tokenizer.encodePairs(query, texts);
  }

  @Override
  protected int length(Encoding encoded) {
    return encoded.length();
  }

  @Override
  protected double[] scoreBatch(List<Encoding> batch) {
    PaddedBatch padded = tokenizer.pad(batch);
    validate(padded);
    float[] l = logits.logits(padded);
    int labels = logits.numLabels();
    double[] out = new double[batch.size()];
    for (int row = 0; row < out.length; row++) {
      double s = rule == ScoreRule.MONOBERT_DIFFERENCE
          ? (double) l[row * labels + 1] - l[row * labels]
          : l[row * labels];
      out[row] = sigmoid ? 1 / (1 + Math.exp(-s)) : s;
    }
    return out;
  }

  /** Ids out of the model's tables would make the native lookup fail: check them in Java first. */
  private void validate(PaddedBatch b) {
    TokenIds.requireInVocabulary(b.inputIds(), logits.vocabSize(), model);
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
}
