package dev.rerankers.transformers;

import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.internal.CrossEncoderLoader;
import dev.rerankers.transformers.internal.T5Loader;
import java.util.Set;

/**
 * The transformers backend: cross-encoder rankers ({@code cross-encoder}) from Hugging Face
 * checkpoints, run on DJL's PyTorch engine by this module's own Java architectures (BERT, MiniLM,
 * TinyBERT, ELECTRA, RoBERTa, XLM-R, CamemBERT, DeBERTa-v2/v3, ModernBERT), or from TorchScript and
 * ONNX exports. Found by {@link java.util.ServiceLoader}; use {@code Reranker.load(...)}.
 *
 * <p>Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 16,
 * {@code maxLength} default {@code model_max_length}): {@value #SIGMOID} (scores through a
 * sigmoid, 0..1), {@value #FORMAT} ({@code auto}, {@code safetensors}, {@code torchscript}, {@code
 * onnx}), {@value #MONOBERT} (score {@code logit[1] − logit[0]} of a two-label model; default: the
 * model name contains "monobert", as in Python). See docs/transformers.md.
 *
 * <p>T5 sequence-to-sequence rankers ({@code t5}: MonoT5, InRanker, mT5 mMARCO, ptT5; batch size 32,
 * max length 512): {@value #TOKEN_FALSE} / {@value #TOKEN_TRUE} (the relevance tokens; {@code auto}
 * picks them from Python's table by model id), {@value #RETURN_LOGITS} (raw {@code logit(true)}
 * instead of {@code P(true)}), {@value #INPUTS_TEMPLATE} (default {@code "Query: {query} Document:
 * {text} Relevant:"}). UPR ({@code upr}; batch size 16, max length 512): {@value #VERBALIZER_HEAD},
 * {@value #VERBALIZER}, {@value #MAX_QUERY_LENGTH} (128), {@value #LOG_LIKELIHOOD} ({@code sum} or
 * {@code mean}). See docs/t5.md.
 */
public final class TransformersProvider implements RerankerProvider {
  /** Option: sigmoid-normalised scores (default false: raw logits, as Python). */
  public static final String SIGMOID = "sigmoid";
  /** Option: checkpoint format, {@code auto} by default. */
  public static final String FORMAT = "format";
  /**
   * Option (cross-encoder, safetensors on CPU): split each batch into forward passes whose largest
   * layer intermediate stays under this many MiB (default 16; 0 = never split). Scores do not
   * change; large fresh allocations cost more in page faults than the work they feed.
   */
  public static final String CPU_CHUNK_MB = "cpuChunkMb";
  /** Option: monoBERT two-logit scoring. */
  public static final String MONOBERT = "monobert";
  /** Option (t5): the "not relevant" token, a vocabulary piece or id, or {@code auto}. */
  public static final String TOKEN_FALSE = "tokenFalse";
  /** Option (t5): the "relevant" token, a vocabulary piece or id, or {@code auto}. */
  public static final String TOKEN_TRUE = "tokenTrue";
  /** Option (t5): score with the raw logit of the true token (default false: P(true)). */
  public static final String RETURN_LOGITS = "returnLogits";
  /** Option (t5): the input template, with {@code {query}} and {@code {text}}. */
  public static final String INPUTS_TEMPLATE = "inputsTemplate";
  /** Option (upr): the text before the passage (default {@code "Passage:"}). */
  public static final String VERBALIZER_HEAD = "verbalizerHead";
  /** Option (upr): the instruction after the passage. */
  public static final String VERBALIZER = "verbalizer";
  /** Option (upr): the query's truncation length in tokens (default 128). */
  public static final String MAX_QUERY_LENGTH = "maxQueryLength";
  /** Option (upr): {@code sum} (default, as Python) or {@code mean} over the query's tokens. */
  public static final String LOG_LIKELIHOOD = "logLikelihood";

  @Override
  public String name() {
    return "transformers";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("cross-encoder", "t5", "upr");
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    return switch (modelType) {
      case "t5" -> Set.of(TOKEN_FALSE, TOKEN_TRUE, RETURN_LOGITS, INPUTS_TEMPLATE);
      case "upr" -> Set.of(VERBALIZER_HEAD, VERBALIZER, MAX_QUERY_LENGTH, LOG_LIKELIHOOD);
      default -> Set.of(SIGMOID, FORMAT, MONOBERT, CPU_CHUNK_MB);
    };
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return switch (spec.type()) {
      case "t5" -> T5Loader.loadRanker(spec);
      case "upr" -> T5Loader.loadUpr(spec);
      default -> CrossEncoderLoader.load(spec);
    };
  }
}
