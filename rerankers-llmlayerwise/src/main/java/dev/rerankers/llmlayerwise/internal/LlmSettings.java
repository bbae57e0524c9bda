package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.transformers.checkpoint.Placement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a load of {@code llm-layerwise}, {@code mxbaiv2} or {@code qwen3-reranker} takes from its
 * options, parsed and checked once by core.
 *
 * @param batchSize prompts per forward pass
 * @param maxLength the prompt length budget in tokens
 * @param placement device and dtype
 * @param prompt the instruction after the passage ({@code llm-layerwise}; null for the others)
 * @param instruction the task instruction ({@code mxbaiv2}, {@code qwen3-reranker}; empty: none)
 * @param layers the cutoff and compression parameters given (empty: Python rerankers' defaults for
 *     the model's name, else BAAI's)
 * @param stopAtCutoff whether the forward (and the loading) stops at the cutoff layer
 * @param layerOptions the keys of the layerwise-only options the config string set, refused for a
 *     plain causal LM
 * @param prefixCache whether each batch's shared prefix runs once and its keys and values are reused
 * @param cpuChunkBytes on the CPU, the largest layer intermediate one pass may create (0 = no split)
 */
public record LlmSettings(int batchSize, int maxLength, Placement placement, String prompt,
    Optional<String> instruction, Optional<LayerwiseParams> layers, boolean stopAtCutoff, List<String> layerOptions,
    boolean prefixCache, long cpuChunkBytes) {

  public LlmSettings {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(layers, "layers");
    layerOptions = List.copyOf(layerOptions);
  }
}
