package dev.rerankers.flashrank.internal;

import dev.rerankers.spi.OptionValues;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of type {@code dense}.
 *
 * @param encoder session, batching, truncation and file asked for
 * @param pooling the {@code pooling} option (else the model's sentence-transformers config, else mean)
 * @param queryPrefix the {@code queryPrefix} option (else the model's query prompt)
 * @param passagePrefix the {@code passagePrefix} option (else the model's document prompt)
 * @param cacheSize document embeddings kept (0: no cache)
 * @param embedded whether the bundled all-MiniLM-L6-v2 may serve the default model
 * @param quantized the bundled int8 model instead of fp32
 * @param extractDir the {@code extractDir} option
 */
public record DenseSettings(
    OnnxEncoderSettings encoder,
    Optional<TokenPooling> pooling,
    Optional<String> queryPrefix,
    Optional<String> passagePrefix,
    int cacheSize,
    boolean embedded,
    boolean quantized,
    Optional<Path> extractDir) {

  /** The settings of a load. */
  public static DenseSettings of(OptionValues o) {
    return new DenseSettings(
        OnnxEncoderSettings.of(o),
        o.optional(DeclaredOptions.POOLING).map(p -> TokenPooling.valueOf(p.toUpperCase(Locale.ROOT))),
        o.optional(DeclaredOptions.QUERY_PREFIX),
        o.optional(DeclaredOptions.PASSAGE_PREFIX),
        o.get(DeclaredOptions.CACHE_SIZE),
        o.get(DeclaredOptions.EMBEDDED),
        o.get(DeclaredOptions.QUANTIZED),
        CacheDirs.extractDir(o));
  }
}
