package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.models.DecoderModel;
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
   * @param batch the rows' tokens: whole prompts, or with {@code prefix} the tokens after it,
   *     right-padded
   * @param prompts the rows' whole prompts, in row order (for BAAI's compression lengths)
   * @param plan the batch's cached prefix, sequence length and CPU budget
   */
  double[] scores(NDManager manager, PaddedBatch batch, List<PromptTokens> prompts, Plan plan);

  /** {@link #scores} of whole prompts, without a cache or chunks. */
  default double[] scores(NDManager manager, PaddedBatch batch, List<PromptTokens> prompts) {
    return scores(manager, batch, prompts, new Plan(null, batch.length(), 0));
  }

  /**
   * How one pass of a batch runs.
   *
   * @param prefix the cached keys and values of the first {@code prefix.length()} tokens every row
   *     shares ({@link #prefill}), or null
   * @param sequenceLength the length the whole batch would be padded to (rotary tables: dynamic
   *     scaling depends on it)
   * @param cpuBudgetBytes the largest feed-forward intermediate on the CPU (0 = no chunks)
   */
  record Plan(DecoderModel.PrefixCache prefix, int sequenceLength, long cpuBudgetBytes) {
    /** The context of a pass's [B, L] mask. */
    DecoderModel.Context context(DecoderModel decoder, NDArray mask) {
      return decoder.context(mask, prefix, sequenceLength).withCpuBudget(cpuBudgetBytes);
    }
  }

  /**
   * Runs the layers {@link #scores} will run on a shared prefix, once, and caches their keys and
   * values; {@code sequenceLength} as in {@link Plan}.
   */
  DecoderModel.PrefixCache prefill(NDManager manager, long[] prefixIds, int sequenceLength);

  /**
   * The longest shared prefix these prompts may take from a cache (BAAI's compression must see
   * each passage whole), at most the shortest prompt's length.
   */
  default int prefixLimit(List<PromptTokens> prompts) {
    return Integer.MAX_VALUE;
  }

  /** The largest per-layer intermediate of one row of {@code length} tokens outside the chunked parts (bytes). */
  long activationBytesPerRow(int length);

  /** The manager owning the weights; batches open sub-managers of it. */
  NDManager manager();

  /** Whether the weights are on the CPU (where passes are split). */
  boolean onCpu();

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
