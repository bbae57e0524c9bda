package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;

/**
 * A sequence-classification head: pool the hidden states (first token or mean), then optionally
 * {@code dense → activation → norm}, then the output projection to the labels. One class covers
 * transformers' heads by configuration:
 *
 * <ul>
 *   <li>BERT: first token, {@code bert.pooler.dense} + tanh, {@code classifier};
 *   <li>RoBERTa / XLM-R: first token, {@code classifier.dense} + tanh, {@code classifier.out_proj};
 *   <li>ELECTRA: first token, {@code classifier.dense} + gelu, {@code classifier.out_proj};
 *   <li>DeBERTa-v2: first token, {@code pooler.dense} + pooler_hidden_act, {@code classifier};
 *   <li>ModernBERT: cls or mean, {@code head.dense} + act + {@code head.norm}, {@code classifier}.
 * </ul>
 */
public final class ClassificationHead {
  /** How hidden states are reduced to one vector per sequence. */
  public enum Pool { FIRST, MEAN }

  private final Pool pool;
  private final Linear dense;
  private final Activation activation;
  private final LayerNorm norm;
  private final Linear out;

  /**
   * @param dense the optional projection before the output (null for none)
   * @param activation applied after {@code dense} (ignored when it is null)
   * @param norm an optional norm after the activation (null for none)
   * @param out the projection to the labels
   */
  public ClassificationHead(Pool pool, Linear dense, Activation activation, LayerNorm norm, Linear out) {
    this.pool = pool;
    this.dense = dense;
    this.activation = activation;
    this.norm = norm;
    this.out = out;
  }

  /** Logits [B, labels] from hidden states [B, L, H] and the [B, L] attention mask. */
  public NDArray forward(NDArray hidden, NDArray attentionMask) {
    return forward(EagerOps.OPS, hidden, attentionMask);
  }

  /** Logits [B, labels] with {@code ops}. */
  public <T> T forward(Ops<T> ops, T hidden, T attentionMask) {
    T x = pool == Pool.FIRST ? ops.firstToken(hidden) : ops.meanPool(hidden, attentionMask);
    if (dense != null) {
      x = activation.apply(ops, dense.forward(ops, x));
      if (norm != null) {
        x = norm.forward(ops, x);
      }
    }
    return out.forward(ops, x);
  }

  /** The number of labels. */
  public int numLabels() {
    return (int) out.outFeatures();
  }
}
