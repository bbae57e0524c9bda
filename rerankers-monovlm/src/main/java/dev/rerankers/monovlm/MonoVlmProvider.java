package dev.rerankers.monovlm;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.monovlm.internal.ImageOptions;
import dev.rerankers.monovlm.internal.MonoVlmLoader;
import dev.rerankers.monovlm.internal.MonoVlmPrompt;
import dev.rerankers.monovlm.internal.MonoVlmSettings;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Image-document ranking with MonoQwen2-VL (type {@code monovlm}; default model {@code
 * lightonai/MonoQwen2-VL-v0.1}, a LoRA adapter on {@code Qwen/Qwen2-VL-2B-Instruct}, merged into
 * the base weights at load time): the image and the query go through Qwen2-VL and the score is
 * {@code P(True)} over the {@code False}/{@code True} tokens at the last position.
 *
 * <p>Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 1,
 * the Hub options; {@code maxLength} is refused) are declared below. See docs/monovlm.md. Found by
 * {@link java.util.ServiceLoader}; use {@code Reranker.load("monovlm:...")} and rank {@code
 * Document.of(Document.Image...)} documents.
 */
public final class MonoVlmProvider implements RerankerProvider {
  /** The model type. */
  public static final String TYPE = "monovlm";

  /** Option: the base model of a LoRA adapter. */
  public static final Option<String> BASE_MODEL =
      Option.text("baseModel", "base model of a LoRA adapter: a Hub id or a folder")
          .defaultDescribed("the adapter's base_model_name_or_path");
  /** Option: where the tokenizer and preprocessor_config.json come from (Python's processor_name). */
  public static final Option<String> PROCESSOR =
      Option.text("processor", "where tokenizer.json and preprocessor_config.json come from (Python's processor_name)")
          .defaultDescribed("the model's own files, else the base model's, else Qwen/Qwen2-VL-2B-Instruct");
  /** Option: the instruction, with {query} where the query goes. */
  public static final Option<String> PROMPT_TEMPLATE =
      Option.text("promptTemplate", String.class, MonoVlmPrompt::checkTemplate,
              "the instruction; {query} is replaced by the query")
          .defaultValue(MonoVlmPrompt.DEFAULT_TEMPLATE);
  /** Option: the "not relevant" token. */
  public static final Option<String> TOKEN_FALSE =
      Option.text("tokenFalse", "the \"not relevant\" vocabulary token scored").defaultValue("False");
  /** Option: the "relevant" token. */
  public static final Option<String> TOKEN_TRUE =
      Option.text("tokenTrue", "the \"relevant\" vocabulary token scored").defaultValue("True");
  /** Option: score by the True logit instead of P(True). */
  public static final Option<Boolean> RETURN_LOGITS =
      Option.bool("returnLogits", "score = the True token's logit instead of P(True)").defaultValue(false);
  /** Option: the fewest pixels an image is resized to. */
  public static final Option<Integer> MIN_PIXELS =
      Option.integer("minPixels", "the fewest pixels an image is resized to").atLeast(1)
          .defaultDescribed("the processor's min_pixels");
  /** Option: the most pixels an image is resized to. */
  public static final Option<Integer> MAX_PIXELS =
      Option.integer("maxPixels", "the most pixels an image is resized to; lower it to save memory and time")
          .atLeast(1).defaultDescribed("the processor's max_pixels");
  /** Option: fetch Document.Image.fromUrl images over http(s). */
  public static final Option<Boolean> ALLOW_URLS =
      Option.bool("allowUrls", "fetch Document.Image.fromUrl images over http(s)").defaultValue(false);
  /** Option: the largest encoded image accepted, in bytes. */
  public static final Option<Integer> MAX_IMAGE_BYTES =
      Option.integer("maxImageBytes", "the largest encoded image accepted, in bytes").atLeast(1)
          .atMost(Integer.MAX_VALUE - 16).defaultValue((int) ImageOptions.DEFAULT_MAX_BYTES);
  /** Option: the largest image decoded, width · height. */
  public static final Option<Integer> MAX_IMAGE_PIXELS =
      Option.integer("maxImagePixels", "the largest image decoded, width × height").atLeast(1)
          .atMost(Integer.MAX_VALUE / 4).defaultValue((int) ImageOptions.DEFAULT_MAX_PIXELS);

  /** Option: on the CPU, the largest layer intermediate one forward pass may create, in MiB. */
  public static final Option<Integer> CPU_CHUNK_MB =
      Option.integer("cpuChunkMb", "on CPU, split a batch into passes and the feed-forward into token chunks whose "
              + "largest intermediate stays under this many MiB; 0 never splits")
          .atLeast(0)
          .defaultValue((int) (CpuPasses.DEFAULT_BUDGET_BYTES >> 20));

  private static final Option<Integer> BATCH_SIZE = CommonOptions.BATCH_SIZE.defaultValue(1)
      .doc("images per forward pass (Python scores one at a time; batching changes scores only by rounding)");
  private static final Option<Integer> MAX_LENGTH = CommonOptions.MAX_LENGTH
      .doc("refused: prompts are never truncated (as in Python); maxPixels sets the image's share");
  /** The Hub options a base model or processor fetched for this load inherits. */
  private static final List<Option<?>> HUB_OPTIONS =
      List.of(CommonOptions.OFFLINE, CommonOptions.HF_TOKEN, CommonOptions.CACHE_DIR, CommonOptions.ALLOW_INSECURE);

  @Override
  public String name() {
    return "monovlm";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of(TYPE);
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return List.of(BATCH_SIZE, MAX_LENGTH, BASE_MODEL, PROCESSOR, PROMPT_TEMPLATE, TOKEN_FALSE, TOKEN_TRUE,
        RETURN_LOGITS, MIN_PIXELS, MAX_PIXELS, ALLOW_URLS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, CPU_CHUNK_MB);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return MonoVlmLoader.load(spec, settings(options));
  }

  static MonoVlmSettings settings(OptionValues o) {
    if (o.isSet(MAX_LENGTH)) {
      throw new ConfigException("maxLength does not apply to " + TYPE + ": prompts are never truncated (as in "
          + "Python); the image's share of the sequence is set by " + MAX_PIXELS.key());
    }
    Map<String, String> hub = new LinkedHashMap<>();
    for (Option<?> h : HUB_OPTIONS) {
      if (o.isSet(h)) {
        hub.put(h.key(), String.valueOf(o.get(h)));
      }
    }
    ImageOptions images = new ImageOptions(o.get(ALLOW_URLS), o.get(MAX_IMAGE_BYTES), o.get(MAX_IMAGE_PIXELS),
        ImageOptions.DEFAULT_TIMEOUT);
    Placement placement = Placement.resolve(o.optional(CommonOptions.DEVICE).orElse(null),
        o.optional(CommonOptions.DTYPE).orElse(null));
    return new MonoVlmSettings(o.get(BATCH_SIZE), placement, o.optional(BASE_MODEL), o.optional(PROCESSOR),
        o.get(PROMPT_TEMPLATE), o.get(TOKEN_FALSE), o.get(TOKEN_TRUE), o.get(RETURN_LOGITS),
        optionalInt(o.optional(MIN_PIXELS)), optionalInt(o.optional(MAX_PIXELS)), images, hub,
        (long) o.get(CPU_CHUNK_MB) << 20);
  }

  private static OptionalInt optionalInt(Optional<Integer> v) {
    return v.isPresent() ? OptionalInt.of(v.get()) : OptionalInt.empty();
  }
}
