package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDManager;
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
 * A decoder-LLM pointwise ranker: each (query, document) pair becomes a prompt ({@link
 * PromptRecipe}); prompts are sorted by length (longest first, stable) and cut into batches so
 * similar lengths share a batch; each batch is padded on the recipe's side and scored by one
 * KV-cache-free forward of the {@link ScoreModel}; scores come back in input order.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory lives in its own
 * sub-manager, freed when the batch ends. {@link #close()} waits for calls in progress.
 */
public final class LlmScorer implements Scorer {
  private final HfTokenizer tokenizer;
  private final PromptRecipe recipe;
  private final ScoreModel model;
  private final int batchSize;
  private final long padId;
  private final RerankerInfo info;
  private final CloseGuard guard;

  /** Takes ownership of the tokenizer and the model. */
  public LlmScorer(String type, String modelId, HfTokenizer tokenizer, PromptRecipe recipe, ScoreModel model,
      int batchSize) {
    this.tokenizer = tokenizer;
    this.recipe = recipe;
    this.model = model;
    this.batchSize = batchSize;
    this.padId = tokenizer.padId();
    Map<String, String> details = new LinkedHashMap<>(model.describe());
    details.putAll(recipe.describe());
    details.put("batchSize", Integer.toString(batchSize));
    this.info = new RerankerInfo(type, modelId, "llmlayerwise", model.device(), model.dtype(), details);
    this.guard = new CloseGuard(info.label());
  }

  /** The prompt a pair becomes (for inspection and tests). */
  public PromptTokens prompt(String query, String document) {
    return recipe.build(query, document);
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
    List<PromptTokens> prompts = new ArrayList<>(n);
    for (Document d : documents) {
      prompts.add(recipe.build(query, d.text()));
    }
    for (int[] order : Batching.longestFirst(prompts, PromptTokens::length, batchSize)) {
      List<PromptTokens> rows = Batching.select(prompts, order);
      List<Encoding> encodings = new ArrayList<>(rows.size());
      for (PromptTokens p : rows) {
        encodings.add(Encoding.of(p.ids()));
      }
      PaddedBatch padded = PaddedBatch.of(encodings, padId, false, recipe.leftPadding(), recipe.padToMultipleOf());
      validate(padded);
      double[] s;
      try (NDManager batch = model.manager().newSubManager()) {
        s = model.scores(batch, padded, rows);
      } catch (RerankerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(info.label() + " failed on a batch of " + padded.size() + " prompts of up to "
            + padded.length() + " tokens: " + e.getMessage(), e);
      }
      for (int row = 0; row < order.length; row++) {
        out[order[row]] = s[row];
      }
    }
    return out;
  }

  /** Ids outside the embedding table would fail natively: check them in Java first. */
  private void validate(PaddedBatch b) {
    long vocab = model.vocabSize();
    for (long id : b.inputIds()) {
      if (id < 0 || id >= vocab) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + info.model() + " (size "
            + vocab + "): tokenizer.json and the checkpoint do not belong together");
      }
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    guard.close(model, tokenizer);
  }
}
