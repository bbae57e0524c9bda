package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDManager;
import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.models.DecoderModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-LLM pointwise ranker on the {@link BatchedScorer} template: each (query, document) pair
 * becomes a prompt ({@link PairPrompt}); the template batches prompts of similar length (longest
 * first, pairs of several queries mixed) and scatters the scores back; each batch is padded on the
 * prompt's side and scored by the {@link ScoreModel}. The tokens every prompt of a batch starts
 * with (system prompt, instruction, query: most of a prompt for short documents) run once, and
 * each row continues from their cached keys and values ({@code prefixCache}); on the CPU a batch
 * runs in passes whose largest intermediate stays under {@code cpuChunkMb}.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory lives in its own
 * sub-manager, freed when the batch ends. {@link #close()} waits for calls in progress.
 */
public final class LlmScorer extends BatchedScorer<PromptTokens> {
  /** Shared prefixes shorter than this are not worth a separate pass. */
  static final int MIN_PREFIX = 4;

  private final PairPrompt prompt;
  private final ScoreModel model;
  private final long padId;
  private final boolean prefixCache;
  private final long cpuBudgetBytes;

  /**
   * Takes ownership of the tokenizer and the model.
   *
   * @param prefixCache whether a batch's shared prefix is run once and its keys and values reused
   * @param cpuBudgetBytes on the CPU, the largest layer intermediate one pass may create (0 = no
   *     split); batches on a GPU are never split
   */
  public LlmScorer(String type, String modelId, HfTokenizer tokenizer, PairPrompt prompt, ScoreModel model,
      int batchSize, boolean prefixCache, long cpuBudgetBytes) {
    super(info(type, modelId, prompt, model, batchSize, prefixCache, cpuBudgetBytes), batchSize, model, tokenizer);
    this.prompt = prompt;
    this.model = model;
    this.padId = tokenizer.padId();
    this.prefixCache = prefixCache;
    this.cpuBudgetBytes = model.onCpu() ? cpuBudgetBytes : 0;
  }

  private static RerankerInfo info(String type, String modelId, PairPrompt prompt, ScoreModel model, int batchSize,
      boolean prefixCache, long cpuBudgetBytes) {
    Map<String, String> details = new LinkedHashMap<>(model.describe());
    details.putAll(prompt.describe());
    details.put("batchSize", Integer.toString(batchSize));
    details.put("prefixCache", Boolean.toString(prefixCache));
    details.put("cpuChunkMb", Long.toString(cpuBudgetBytes >> 20));
    return new RerankerInfo(type, modelId, "llmlayerwise", model.device(), model.dtype(), details);
  }

  /** The prompt a pair becomes (for inspection and tests). */
  public PromptTokens prompt(String query, String document) {
    return prompt.build(query, document);
  }

  @Override
  protected List<PromptTokens> encode(String query, List<Document> documents) {
    List<PromptTokens> prompts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      prompts.add(prompt.build(query, d.text()));
    }
    return prompts;
  }

  @Override
  protected int length(PromptTokens prompt) {
    return prompt.length();
  }

  /**
   * Scores a batch: its shared prefix (when caching and long enough) runs once, then the rows
   * continue from its keys and values, right-padded; on the CPU the rows go in passes whose
   * largest intermediate stays under the budget, grouped so that little padding is computed ({@link
   * CpuPasses#byLength}).
   */
  @Override
  protected double[] scoreBatch(List<PromptTokens> batch) {
    for (PromptTokens p : batch) {
      validate(p.ids());
    }
    int shared = prefixCache ? sharedPrefix(batch, model.prefixLimit(batch)) : 0;
    int longest = 0;
    int[] lengths = new int[batch.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = batch.get(i).length() - shared;
      longest = Math.max(longest, lengths[i]);
    }
    List<int[]> passes = CpuPasses.byLength(lengths, model::activationBytesPerRow, cpuBudgetBytes, CpuPasses.PASS_COST_TOKENS);
    // the length the whole batch would be padded to without a cache: each pass gets its rotary tables
    int multiple = Math.max(1, prompt.padToMultipleOf());
    int sequenceLength = (longest + shared + multiple - 1) / multiple * multiple;
    double[] out = new double[batch.size()];
    try (NDManager scope = model.manager().newSubManager()) {
      DecoderModel.PrefixCache cache = shared > 0 ? model.prefill(scope, Arrays.copyOf(batch.get(0).ids(), shared), sequenceLength) : null;
      for (int[] range : passes) {
        int from = range[0];
        List<PromptTokens> pass = batch.subList(from, range[1]);
        List<Encoding> encodings = new ArrayList<>(pass.size());
        for (PromptTokens p : pass) {
          long[] ids = p.ids();
          encodings.add(Encoding.of(shared == 0 ? ids : Arrays.copyOfRange(ids, shared, ids.length)));
        }
        // continuations are right-padded whatever the prompt's side: their positions follow the prefix
        PaddedBatch padded = cache == null
            ? PaddedBatch.of(encodings, padId, false, prompt.leftPadding(), prompt.padToMultipleOf())
            : PaddedBatch.of(encodings, padId, false, false, 1);
        try (NDManager passScope = scope.newSubManager()) {
          double[] s = model.scores(passScope, padded, pass, new ScoreModel.Plan(cache, sequenceLength, cpuBudgetBytes));
          System.arraycopy(s, 0, out, from, s.length);
        }
      }
    }
    return out;
  }

  /**
   * The length of the longest token prefix every prompt of the batch shares, leaving each at least
   * one token of its own and at most {@code limit}; 0 when shorter than {@link #MIN_PREFIX}.
   */
  static int sharedPrefix(List<PromptTokens> batch, int limit) {
    long[] first = batch.get(0).ids();
    int n = Math.min(first.length, limit);
    for (PromptTokens p : batch) {
      long[] ids = p.ids();
      n = Math.min(n, ids.length - 1);
      int i = 0;
      while (i < n && ids[i] == first[i]) {
        i++;
      }
      n = i;
    }
    return n >= MIN_PREFIX ? n : 0;
  }

  /** Ids outside the embedding table would fail natively: check them in Java first. */
  private void validate(long[] ids) {
    long vocab = model.vocabSize();
    for (long id : ids) {
      if (id < 0 || id >= vocab) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + info().model() + " (size "
            + vocab + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }
}
