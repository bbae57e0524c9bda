package dev.rerankers.flashrank.internal;

import dev.rerankers.InferenceException;
import java.util.Arrays;

/**
 * How a cross-encoder's logits become one relevance score per pair, for both ONNX cross-encoder
 * types. One rule: the relevance logit is the single logit of a one-label head, or {@code logit[1]
 * - logit[0]} of a two-label (not relevant, relevant) head; {@link #FLASHRANK} takes its sigmoid.
 */
public enum ScoreRule {
  /**
   * FlashRank's {@code Ranker.rerank}: the sigmoid of the relevance logit, which for two logits is
   * column 1 of their softmax. Scores in (0, 1).
   */
  FLASHRANK("sigmoid(logit) | softmax(logits)[1]", true),
  /**
   * Python rerankers' cross-encoder: the relevance logit itself (monoBERT's {@code logit[1] -
   * logit[0]} for two labels), in the same order as {@link #FLASHRANK}.
   */
  LOGIT("logit | logit[1]-logit[0]", false);

  private final String description;
  private final boolean sigmoid;

  ScoreRule(String description, boolean sigmoid) {
    this.description = description;
    this.sigmoid = sigmoid;
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
    double relevance;
    if (labels == 1) {
      relevance = logits[row];
    } else if (labels == 2) {
      relevance = (double) logits[2 * row + 1] - logits[2 * row];
    } else {
      throw new InferenceException("the model outputs " + labels + " logits per pair; a relevance ranker needs"
          + " 1 (a relevance logit) or 2 (not relevant, relevant)");
    }
    return sigmoid ? 1.0 / (1.0 + Math.exp(-relevance)) : relevance;
  }

  /**
   * The scores of a batch's logits output, one per row.
   *
   * @throws InferenceException when the output is not {@code [rows]}, {@code [rows, 1]} or {@code [rows, 2]}
   */
  public double[] scores(OnnxModel.Output logits, int rows, String label) {
    long[] shape = logits.shape();
    boolean ok = shape.length >= 1 && shape[0] == rows && (shape.length == 1 || shape.length == 2);
    if (!ok || logits.data().length % rows != 0) {
      throw new InferenceException(label + ": output " + logits.name() + " has shape " + Arrays.toString(shape)
          + "; expected [" + rows + ", 1] or [" + rows + ", 2] logits");
    }
    int labels = logits.data().length / rows;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = score(logits.data(), r, labels);
    }
    return out;
  }
}
