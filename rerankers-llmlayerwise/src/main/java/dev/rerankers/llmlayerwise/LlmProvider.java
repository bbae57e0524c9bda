package dev.rerankers.llmlayerwise;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.llmlayerwise.internal.BgePrompt;
import dev.rerankers.llmlayerwise.internal.LayerwiseParams;
import dev.rerankers.llmlayerwise.internal.LlmLoader;
import dev.rerankers.llmlayerwise.internal.LlmSettings;
import dev.rerankers.llmlayerwise.internal.Qwen3Prompt;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * {@code maxLength}) are declared below: for {@code llm-layerwise} {@link #PROMPT}, {@link
 * #CUTOFF_LAYERS}, {@link #COMPRESS_RATIO}, {@link #COMPRESS_LAYERS}, {@link #STOP_AT_CUTOFF}; for
 * {@code mxbaiv2} and {@code qwen3-reranker} {@link #INSTRUCTION}; for every type {@link
 * #PREFIX_CACHE} and {@link #CPU_CHUNK_MB}. See docs/llmlayerwise.md. Found
 * by {@link java.util.ServiceLoader}; use {@code Reranker.load(...)}.
 */
public final class LlmProvider implements RerankerProvider {
  /** BAAI's layerwise and decoder rankers. */
  public static final String LAYERWISE = LlmLoader.LAYERWISE;
  /** mxbai-rerank v2. */
  public static final String MXBAI_V2 = LlmLoader.MXBAI_V2;
  /** Qwen3-Reranker. */
  public static final String QWEN3 = LlmLoader.QWEN3;

  @SuppressWarnings("unchecked")
  private static final Class<List<Integer>> LAYER_LIST = (Class<List<Integer>>) (Class<?>) List.class;

  /** Option (llm-layerwise): the instruction after the passage. */
  public static final Option<String> PROMPT =
      Option.text("prompt", "the instruction after the passage").defaultValue(BgePrompt.DEFAULT_PROMPT);
  /** Option (llm-layerwise): cutoff layers, e.g. {@code 28} or {@code 20,28}; the deepest one gives the score. */
  public static final Option<List<Integer>> CUTOFF_LAYERS =
      Option.text("cutoffLayers", LAYER_LIST, v -> layers("cutoffLayers", v),
              "layers whose heads score (layerwise checkpoints), e.g. 28 or 20,28; the deepest gives the score")
          .defaultDescribed("28 for bge-reranker-v2-minicpm-layerwise and -v2.5-gemma2-lightweight, else the last layer");
  /** Option (llm-layerwise): passage tokens pooled into one (gemma2-lightweight), 1 = off. */
  public static final Option<Integer> COMPRESS_RATIO =
      Option.integer("compressRatio", "passage tokens averaged into one (gemma2-lightweight); 1 = off").atLeast(1)
          .defaultDescribed("2 for bge-reranker-v2.5-gemma2-lightweight, else 1");
  /** Option (llm-layerwise): layers before which passages are compressed, e.g. {@code 24,40}. */
  public static final Option<List<Integer>> COMPRESS_LAYERS =
      Option.text("compressLayers", LAYER_LIST, v -> layers("compressLayers", v),
              "layers before which passages are compressed (gemma2-lightweight), e.g. 24,40")
          .defaultDescribed("24,40 for bge-reranker-v2.5-gemma2-lightweight, else none");
  /** Option (llm-layerwise): stop the forward (and the loading) at the cutoff layer. */
  public static final Option<Boolean> STOP_AT_CUTOFF =
      Option.bool("stopAtCutoff", "stop the forward (and the loading) at the cutoff layer; false runs every layer "
          + "(same scores, more work)").defaultValue(true);
  /** Option (every type): run each batch's shared prefix once and continue the rows from its keys and values. */
  public static final Option<Boolean> PREFIX_CACHE =
      Option.bool("prefixCache", "run the tokens every prompt of a batch starts with (system prompt, instruction, "
          + "query) once and continue each row from their cached keys and values; false runs every prompt whole "
          + "(same scores, more work)").defaultValue(true);
  /** Option (every type): on the CPU, the largest layer intermediate one forward pass may create, in MiB. */
  public static final Option<Integer> CPU_CHUNK_MB =
      Option.integer("cpuChunkMb", "on CPU, split a batch into passes and the feed-forward into token chunks whose "
              + "largest intermediate stays under this many MiB; 0 never splits")
          .atLeast(0)
          .defaultValue((int) (CpuPasses.DEFAULT_BUDGET_BYTES >> 20));
  /** Option (mxbaiv2, qwen3-reranker): a task instruction. */
  public static final Option<String> INSTRUCTION =
      Option.text("instruction", "the task instruction, put before the query");

  private static final Option<Integer> BATCH_SIZE = CommonOptions.BATCH_SIZE.defaultValue(16)
      .doc("prompts per forward pass");
  private static final Option<Integer> MAX_LENGTH = CommonOptions.MAX_LENGTH.atLeast(8)
      .doc("prompt length budget in tokens (Python's max_length)");
  private static final List<Option<?>> LAYERWISE_OPTIONS = List.of(BATCH_SIZE, MAX_LENGTH.defaultValue(512), PROMPT,
      CUTOFF_LAYERS, COMPRESS_RATIO, COMPRESS_LAYERS, STOP_AT_CUTOFF, PREFIX_CACHE, CPU_CHUNK_MB);
  private static final List<Option<?>> MXBAI_OPTIONS = List.of(BATCH_SIZE, MAX_LENGTH.defaultValue(8192),
      INSTRUCTION, PREFIX_CACHE, CPU_CHUNK_MB);
  private static final List<Option<?>> QWEN3_OPTIONS = List.of(BATCH_SIZE, MAX_LENGTH.defaultValue(8192),
      INSTRUCTION.defaultValue(Qwen3Prompt.DEFAULT_INSTRUCTION), PREFIX_CACHE, CPU_CHUNK_MB);

  @Override
  public String name() {
    return "llmlayerwise";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of(LAYERWISE, MXBAI_V2, QWEN3);
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return switch (modelType) {
      case LAYERWISE -> LAYERWISE_OPTIONS;
      case MXBAI_V2 -> MXBAI_OPTIONS;
      case QWEN3 -> QWEN3_OPTIONS;
      default -> List.of();
    };
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return LlmLoader.load(spec, settings(spec.type(), options));
  }

  static LlmSettings settings(String type, OptionValues o) {
    Placement placement = Placement.resolve(o.optional(CommonOptions.DEVICE).orElse(null),
        o.optional(CommonOptions.DTYPE).orElse(null));
    if (!LAYERWISE.equals(type)) {
      return new LlmSettings(o.get(BATCH_SIZE), o.get(MAX_LENGTH), placement, null, o.optional(INSTRUCTION),
          Optional.empty(), true, List.of(), o.get(PREFIX_CACHE), (long) o.get(CPU_CHUNK_MB) << 20);
    }
    List<String> given = new ArrayList<>();
    for (Option<?> layerOption : List.of(CUTOFF_LAYERS, COMPRESS_RATIO, COMPRESS_LAYERS, STOP_AT_CUTOFF)) {
      if (o.isSet(layerOption)) {
        given.add(layerOption.key());
      }
    }
    // Python rerankers' name-based defaults apply only when none of the three is given
    Optional<LayerwiseParams> layers = o.isSet(CUTOFF_LAYERS) || o.isSet(COMPRESS_RATIO) || o.isSet(COMPRESS_LAYERS)
        ? Optional.of(new LayerwiseParams(o.optional(CUTOFF_LAYERS).orElse(List.of()),
            o.optional(COMPRESS_RATIO).orElse(1), o.optional(COMPRESS_LAYERS).orElse(List.of())))
        : Optional.empty();
    return new LlmSettings(o.get(BATCH_SIZE), o.get(MAX_LENGTH), placement, o.get(PROMPT), Optional.empty(), layers,
        o.get(STOP_AT_CUTOFF), given, o.get(PREFIX_CACHE), (long) o.get(CPU_CHUNK_MB) << 20);
  }

  /** A layer list: {@code 28}, {@code 24,40} or {@code [24, 40]}. */
  static List<Integer> layers(String key, String value) {
    String v = value.strip();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    List<Integer> out = new ArrayList<>();
    for (String part : v.split("[,;\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        int n = Integer.parseInt(part);
        if (n < 0) {
          throw new NumberFormatException();
        }
        out.add(n);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a list of layer numbers like 24,40, got '" + value + "'");
      }
    }
    return List.copyOf(out);
  }
}
