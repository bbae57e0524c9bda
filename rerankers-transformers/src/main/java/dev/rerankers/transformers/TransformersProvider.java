package dev.rerankers.transformers;

import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.internal.CrossEncoderLoader;
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
 */
public final class TransformersProvider implements RerankerProvider {
  /** Option: sigmoid-normalised scores (default false: raw logits, as Python). */
  public static final String SIGMOID = "sigmoid";
  /** Option: checkpoint format, {@code auto} by default. */
  public static final String FORMAT = "format";
  /** Option: monoBERT two-logit scoring. */
  public static final String MONOBERT = "monobert";

  @Override
  public String name() {
    return "transformers";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("cross-encoder");
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    return Set.of(SIGMOID, FORMAT, MONOBERT);
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return CrossEncoderLoader.load(spec);
  }
}
