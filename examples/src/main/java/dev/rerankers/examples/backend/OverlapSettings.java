package dev.rerankers.examples.backend;

import dev.rerankers.spi.OptionValues;

/**
 * Everything the scorer needs from the config string, read once: core has already parsed,
 * range-checked and defaulted every value, so this is one line per field and no validation.
 */
record OverlapSettings(int batchSize, boolean caseSensitive, int minWordLength) {
  static OverlapSettings of(OptionValues o) {
    return new OverlapSettings(
        o.get(OverlapProvider.BATCH_SIZE), o.get(OverlapProvider.CASE_SENSITIVE), o.get(OverlapProvider.MIN_WORD_LENGTH));
  }
}
