package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDManager;
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
 * A decoder-LLM pointwise ranker on the {@link BatchedScorer} template: each (query, document) pair
 * becomes a prompt ({@link PairPrompt}); the template batches prompts of similar length (longest
 * first, pairs of several queries mixed) and scatters the scores back; each batch is padded on the
 * prompt's side and scored by one KV-cache-free forward of the {@link ScoreModel}.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory lives in its own
 * sub-manager, freed when the batch ends. {@link #close()} waits for calls in progress.
 */
public final class LlmScorer extends BatchedScorer<PromptTokens> {
  private final PairPrompt prompt;
  private final ScoreModel model;
  private final long padId;

  /** Takes ownership of the tokenizer and the model. */
  public LlmScorer(String type, String modelId, HfTokenizer tokenizer, PairPrompt prompt, ScoreModel model,
      int batchSize) {
    super(info(type, modelId, prompt, model, batchSize), batchSize, model, tokenizer);
    this.prompt = prompt;
    this.model = model;
    this.padId = tokenizer.padId();
  }

  private static RerankerInfo info(String type, String modelId, PairPrompt prompt, ScoreModel model, int batchSize) {
    Map<String, String> details = new LinkedHashMap<>(model.describe());
    details.putAll(prompt.describe());
    details.put("batchSize", Integer.toString(batchSize));
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

  @Override
  protected double[] scoreBatch(List<PromptTokens> batch) {
    List<Encoding> encodings = new ArrayList<>(batch.size());
    for (PromptTokens p : batch) {
      encodings.add(Encoding.of(p.ids()));
    }
    PaddedBatch padded = PaddedBatch.of(encodings, padId, false, prompt.leftPadding(), prompt.padToMultipleOf());
    validate(padded);
    try (NDManager scope = model.manager().newSubManager()) {
      return model.scores(scope, padded, batch);
    }
  }

  /** Ids outside the embedding table would fail natively: check them in Java first. */
  private void validate(PaddedBatch b) {
    long vocab = model.vocabSize();
    for (long id : b.inputIds()) {
      if (id < 0 || id >= vocab) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + info().model() + " (size "
            + vocab + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }
}
