package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDManager;
import dev.rerankers.tokenizers.PaddedBatch;
import java.util.List;
import java.util.Map;

/**
 * A decoder plus the rule that turns one padded batch of prompts into one score per row. Every
 * array it creates lives in the batch manager it is given. Implementations are immutable after
 * loading and safe to call from several threads.
 */
public interface ScoreModel extends AutoCloseable {

  /**
   * One score per row of {@code batch}, in row order.
   *
   * @param manager the batch's manager (a sub-manager of {@link #manager()}), closed by the caller
   * @param prompts the rows' prompts, in row order (for BAAI's compression lengths)
   */
  double[] scores(NDManager manager, PaddedBatch batch, List<PromptTokens> prompts);

  /** The manager owning the weights; batches open sub-managers of it. */
  NDManager manager();

  /** Input ids must be below this. */
  long vocabSize();

  /** Device name ({@code cpu}, {@code gpu:0}). */
  String device();

  /** Compute dtype ({@code fp32}, ...). */
  String dtype();

  /** Facts for {@code RerankerInfo.details()}. */
  Map<String, String> describe();

  /** Frees the weights. */
  @Override
  void close();
}
