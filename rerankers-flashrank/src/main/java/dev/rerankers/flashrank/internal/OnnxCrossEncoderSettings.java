package dev.rerankers.flashrank.internal;

import dev.rerankers.spi.OptionValues;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.util.OptionalInt;

/**
 * The settings of the one ONNX cross-encoder path, for both types: the encoder's, the score rule,
 * and how the truncation length is chosen.
 *
 * @param encoder session, batching, truncation and file asked for
 * @param rule how logits become scores
 * @param flashRankTruncation FlashRank's {@code min(model_max_length, maxLength)} (else {@code
 *     maxLength} as given, or the model's own length)
 */
public record OnnxCrossEncoderSettings(OnnxEncoderSettings encoder, ScoreRule rule, boolean flashRankTruncation) {

  /**
   * Type {@code onnx-cross-encoder}: raw logits unless {@code sigmoid}; the model's length unless
   * {@code maxLength}.
   */
  public static OnnxCrossEncoderSettings of(OptionValues o) {
    return new OnnxCrossEncoderSettings(OnnxEncoderSettings.of(o),
        o.get(DeclaredOptions.SIGMOID) ? ScoreRule.FLASHRANK : ScoreRule.LOGIT, false);
  }

  /** Type {@code flashrank}: FlashRank's scores and truncation. */
  public static OnnxCrossEncoderSettings flashRank(OptionValues o) {
    return new OnnxCrossEncoderSettings(OnnxEncoderSettings.of(o), ScoreRule.FLASHRANK, true);
  }

  /**
   * The truncation length before the position table caps it: FlashRank's {@code
   * min(model_max_length, maxLength)}; else {@code maxLength}, else {@code model_max_length}, else
   * the position table, else 512.
   */
  int wantedLength(TokenizerConfig tokenizer, ModelConfig config) {
    OptionalInt requested = encoder.maxLength();
    OptionalInt model = tokenizer.maxLength();
    if (flashRankTruncation && requested.isPresent() && model.isPresent()) {
      return Math.min(model.getAsInt(), requested.getAsInt());
    }
    if (requested.isPresent()) {
      return requested.getAsInt();
    }
    return model.orElse(config.maxTokens() > 0 ? config.maxTokens() : 512);
  }
}
