package dev.rerankers.flashrank.internal;

import dev.rerankers.InferenceException;

/** How a cross-encoder's logits become one relevance score per pair. */
public enum ScoreRule {
  /**
   * FlashRank's {@code Ranker.rerank}: the sigmoid of a single logit; for two logits, column 1 of
   * their softmax (which equals the sigmoid of {@code logit[1] - logit[0]}). Scores in (0, 1).
   */
  FLASHRANK("sigmoid(logit) | softmax(logits)[1]"),
  /**
   * Python rerankers' cross-encoder: the raw logit; for two logits {@code logit[1] - logit[0]}
   * (monoBERT), the same order as {@link #FLASHRANK}.
   */
  LOGIT("logit | logit[1]-logit[0]");

  private final String description;

  ScoreRule(String description) {
    this.description = description;
  }

  /** The rule in words, for {@code RerankerInfo}. */
  public String description() {
    return description;
  }

  /**
   * The score of one row of a {@code [rows, labels]} logits tensor.
   *
   * @throws InferenceException for a classifier with more than two outputs
   */
  public double score(float[] logits, int row, int labels) {
    if (labels == 1) {
      double l = logits[row];
      return this == LOGIT ? l : 1.0 / (1.0 + Math.exp(-l));
    }
    if (labels == 2) {
      double l0 = logits[2 * row];
      double l1 = logits[2 * row + 1];
      return this == LOGIT ? l1 - l0 : 1.0 / (1.0 + Math.exp(l0 - l1));
    }
    throw new InferenceException("the model outputs " + labels + " logits per pair; a relevance ranker needs"
        + " 1 (a relevance logit) or 2 (not relevant, relevant)");
  }
}
