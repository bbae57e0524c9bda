package dev.rerankers.monovlm;

import dev.rerankers.RerankerSpec;
import dev.rerankers.monovlm.internal.MonoVlmLoader;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.Set;

/**
 * Image-document ranking with MonoQwen2-VL (type {@code monovlm}; default model {@code
 * lightonai/MonoQwen2-VL-v0.1}, a LoRA adapter on {@code Qwen/Qwen2-VL-2B-Instruct}, merged into
 * the base weights at load time): the image and the query go through Qwen2-VL and the score is
 * {@code P(True)} over the {@code False}/{@code True} tokens at the last position.
 *
 * <p>Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 1,
 * the Hub options): {@value #BASE_MODEL}, {@value #PROCESSOR}, {@value #PROMPT_TEMPLATE}, {@value
 * #TOKEN_FALSE}, {@value #TOKEN_TRUE}, {@value #RETURN_LOGITS}, {@value #MIN_PIXELS}, {@value
 * #MAX_PIXELS}, {@value #ALLOW_URLS}, {@value #MAX_IMAGE_BYTES}, {@value #MAX_IMAGE_PIXELS}. See
 * docs/monovlm.md. Found by {@link java.util.ServiceLoader}; use {@code
 * Reranker.load("monovlm:...")} and rank {@code Document.of(Document.Image...)} documents.
 */
public final class MonoVlmProvider implements RerankerProvider {
  /** The model type. */
  public static final String TYPE = "monovlm";
  /** Option: the base model of a LoRA adapter (default: the adapter's base_model_name_or_path). */
  public static final String BASE_MODEL = "baseModel";
  /** Option: where the tokenizer and preprocessor_config.json come from (Python's processor_name). */
  public static final String PROCESSOR = "processor";
  /** Option: the instruction, with {query} where the query goes. */
  public static final String PROMPT_TEMPLATE = "promptTemplate";
  /** Option: the "not relevant" token (default False). */
  public static final String TOKEN_FALSE = "tokenFalse";
  /** Option: the "relevant" token (default True). */
  public static final String TOKEN_TRUE = "tokenTrue";
  /** Option: score by the True logit instead of P(True) (default false). */
  public static final String RETURN_LOGITS = "returnLogits";
  /** Option: the fewest pixels an image is resized to (default: the processor's min_pixels). */
  public static final String MIN_PIXELS = "minPixels";
  /** Option: the most pixels an image is resized to (default: the processor's max_pixels). */
  public static final String MAX_PIXELS = "maxPixels";
  /** Option: fetch Document.Image.fromUrl images over http(s) (default false: refused). */
  public static final String ALLOW_URLS = "allowUrls";
  /** Option: the largest encoded image accepted, in bytes (default 64 MiB). */
  public static final String MAX_IMAGE_BYTES = "maxImageBytes";
  /** Option: the largest image decoded, width · height (default 50,000,000). */
  public static final String MAX_IMAGE_PIXELS = "maxImagePixels";

  @Override
  public String name() {
    return "monovlm";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of(TYPE);
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    return Set.of(BASE_MODEL, PROCESSOR, PROMPT_TEMPLATE, TOKEN_FALSE, TOKEN_TRUE, RETURN_LOGITS, MIN_PIXELS,
        MAX_PIXELS, ALLOW_URLS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS);
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return MonoVlmLoader.load(spec);
  }
}
