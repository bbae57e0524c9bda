package dev.rerankers.colbert.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.colbert.ColbertProvider;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.OptionalInt;

/** The options both late-interaction types share, read and checked once. */
record Options(int batchSize, long cacheBytes, Placement placement, OptionalInt maxLength) {
  static final int DEFAULT_BATCH_SIZE = 32;
  static final int DEFAULT_CACHE_MB = 256;

  static Options of(RerankerSpec spec) {
    int batch = spec.intOption(RerankerSpec.BATCH_SIZE, DEFAULT_BATCH_SIZE);
    if (batch < 1) {
      throw new ConfigException("batchSize must be >= 1, got " + batch);
    }
    int mb = spec.intOption(ColbertProvider.CACHE_MB, DEFAULT_CACHE_MB);
    if (mb < 0) {
      throw new ConfigException(ColbertProvider.CACHE_MB + " must be >= 0 (0 disables the document cache), got " + mb);
    }
    OptionalInt max = OptionalInt.empty();
    if (spec.option(RerankerSpec.MAX_LENGTH).isPresent()) {
      int m = spec.intOption(RerankerSpec.MAX_LENGTH, 0);
      if (m < 3) {
        throw new ConfigException("maxLength (the document length in tokens, markers included) must be >= 3, got " + m);
      }
      max = OptionalInt.of(m);
    }
    Placement placement = Placement.resolve(spec.option(RerankerSpec.DEVICE).orElse(null),
        spec.option(RerankerSpec.DTYPE).orElse(null));
    return new Options(batch, (long) mb << 20, placement, max);
  }
}
