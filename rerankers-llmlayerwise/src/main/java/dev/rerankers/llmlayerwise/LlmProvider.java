package dev.rerankers.llmlayerwise;

import dev.rerankers.RerankerSpec;
import dev.rerankers.llmlayerwise.internal.LlmLoader;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.Set;

/**
 * Decoder-LLM pointwise rankers, run on the shared decoder architectures of rerankers-transformers
 * (DJL's PyTorch engine):
 *
 * <ul>
 *   <li>{@code llm-layerwise}: BAAI's layerwise rankers (bge-reranker-v2-minicpm-layerwise,
 *       bge-reranker-v2.5-gemma2-lightweight; default model) scored by a per-layer head at the
 *       cutoff layer, and BAAI's plain decoder rankers (bge-reranker-v2-gemma) scored by the
 *       "Yes" logit; the prompt {@code [bos] A: query \n B: passage \n prompt};
 *   <li>{@code mxbaiv2}: mixedbread's mxbai-rerank v2 (Qwen2), {@code logit("1") − logit("0")};
 *   <li>{@code qwen3-reranker}: Qwen3-Reranker, {@code P(yes)} over {yes, no}.
 * </ul>
 *
 * Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 16,
 * {@code maxLength}): for {@code llm-layerwise} {@value #PROMPT}, {@value #CUTOFF_LAYERS},
 * {@value #COMPRESS_RATIO}, {@value #COMPRESS_LAYERS}, {@value #STOP_AT_CUTOFF}; for {@code
 * mxbaiv2} and {@code qwen3-reranker} {@value #INSTRUCTION}. See docs/llmlayerwise.md. Found by
 * {@link java.util.ServiceLoader}; use {@code Reranker.load(...)}.
 */
public final class LlmProvider implements RerankerProvider {
  /** Option: the instruction after the passage (llm-layerwise); default BAAI's Yes/No prompt. */
  public static final String PROMPT = "prompt";
  /** Option: cutoff layers, e.g. {@code 28} or {@code 20,28}; the deepest one gives the score. */
  public static final String CUTOFF_LAYERS = "cutoffLayers";
  /** Option: passage tokens pooled into one (gemma2-lightweight), 1 = off. */
  public static final String COMPRESS_RATIO = "compressRatio";
  /** Option: layers before which passages are compressed, e.g. {@code 24,40}. */
  public static final String COMPRESS_LAYERS = "compressLayers";
  /** Option: stop the forward (and the loading) at the cutoff layer; default true. */
  public static final String STOP_AT_CUTOFF = "stopAtCutoff";
  /** Option: a task instruction (mxbaiv2: none by default; qwen3-reranker: the model card's default). */
  public static final String INSTRUCTION = "instruction";

  /** The model types served. */
  public static final String LAYERWISE = "llm-layerwise";
  /** mxbai-rerank v2. */
  public static final String MXBAI_V2 = "mxbaiv2";
  /** Qwen3-Reranker. */
  public static final String QWEN3 = "qwen3-reranker";

  @Override
  public String name() {
    return "llmlayerwise";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of(LAYERWISE, MXBAI_V2, QWEN3);
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    return switch (modelType) {
      case LAYERWISE -> Set.of(PROMPT, CUTOFF_LAYERS, COMPRESS_RATIO, COMPRESS_LAYERS, STOP_AT_CUTOFF);
      case MXBAI_V2, QWEN3 -> Set.of(INSTRUCTION);
      default -> Set.of();
    };
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return LlmLoader.load(spec);
  }
}
