package dev.rerankers.monovlm.internal;

import dev.rerankers.transformers.checkpoint.Placement;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@code monovlm} load takes from its options, parsed and checked once by core.
 *
 * @param batchSize images per forward pass
 * @param placement device and dtype
 * @param baseModel the base model of a LoRA adapter (empty: the adapter's base_model_name_or_path)
 * @param processor where the tokenizer and preprocessor_config.json come from (empty: the model's
 *     own files, else the base model's, else Python's default)
 * @param promptTemplate the instruction, with {@code {query}} where the query goes
 * @param tokenFalse the "not relevant" token
 * @param tokenTrue the "relevant" token
 * @param returnLogits score by the True logit instead of P(True)
 * @param minPixels overrides the processor's min_pixels
 * @param maxPixels overrides the processor's max_pixels
 * @param images what image documents may be read, and how large
 * @param hubOptions the Hub options given (offline, hfToken, cacheDir, allowInsecure) by key, passed
 *     on when a base model or processor is fetched; never shown by {@link #toString()}
 * @param cpuChunkBytes on the CPU, the largest layer intermediate one pass may create (0 = no split)
 */
public record MonoVlmSettings(int batchSize, Placement placement, Optional<String> baseModel,
    Optional<String> processor, String promptTemplate, String tokenFalse, String tokenTrue, boolean returnLogits,
    OptionalInt minPixels, OptionalInt maxPixels, ImageOptions images, Map<String, String> hubOptions,
    long cpuChunkBytes) {

  public MonoVlmSettings {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(baseModel, "baseModel");
    Objects.requireNonNull(processor, "processor");
    MonoVlmPrompt.checkTemplate(promptTemplate);
    Objects.requireNonNull(tokenFalse, "tokenFalse");
    Objects.requireNonNull(tokenTrue, "tokenTrue");
    Objects.requireNonNull(minPixels, "minPixels");
    Objects.requireNonNull(maxPixels, "maxPixels");
    Objects.requireNonNull(images, "images");
    hubOptions = Map.copyOf(hubOptions);
  }

  /** Without the Hub options' values: one of them may be a token. */
  @Override
  public String toString() {
    return "MonoVlmSettings[batchSize=" + batchSize + ", placement=" + placement + ", baseModel=" + baseModel
        + ", processor=" + processor + ", promptTemplate=" + promptTemplate + ", tokenFalse=" + tokenFalse
        + ", tokenTrue=" + tokenTrue + ", returnLogits=" + returnLogits + ", minPixels=" + minPixels
        + ", maxPixels=" + maxPixels + ", images=" + images + ", hubOptions=" + new java.util.TreeSet<>(hubOptions.keySet())
        + ", cpuChunkBytes=" + cpuChunkBytes + "]";
  }
}
