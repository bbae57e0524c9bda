package dev.rerankers.flashrank.internal;

import dev.rerankers.spi.OptionValues;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What every type of this module sets for its {@link OnnxEncoder}: the session, the batching, the
 * truncation asked for and the .onnx file asked for.
 *
 * @param session the ONNX Runtime session
 * @param batchSize pairs or texts per ONNX Runtime call
 * @param sortByLength batch similar lengths together (else input order)
 * @param maxLength the {@code maxLength} option, or its fixed default; empty when the model decides
 * @param file the {@code file} option
 */
public record OnnxEncoderSettings(
    OnnxSessionSettings session, int batchSize, boolean sortByLength, OptionalInt maxLength, Optional<String> file) {

  /** The settings of a load (any of the three types). */
  public static OnnxEncoderSettings of(OptionValues o) {
    // read by key: the value set, else the default declared for this load's type (512 for flashrank)
    Optional<Integer> maxLength = o.optional(DeclaredOptions.MAX_LENGTH_CROSS_ENCODER);
    return new OnnxEncoderSettings(
        OnnxSessionSettings.of(o),
        o.get(DeclaredOptions.BATCH_SIZE),
        o.get(DeclaredOptions.SORT_BY_LENGTH),
        maxLength.map(OptionalInt::of).orElse(OptionalInt.empty()),
        o.optional(DeclaredOptions.FILE)); // by key too: every type declares file without a fixed default
  }
}
