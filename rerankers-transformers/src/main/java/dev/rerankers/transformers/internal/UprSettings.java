package dev.rerankers.transformers.internal;

/**
 * The options of one {@code upr} load, parsed and checked once by the provider: what {@link
 * T5Loader#loadUpr} reads instead of the spec's raw options.
 *
 * @param batchSize passages per batch
 * @param maxLength the passage truncation length in tokens
 * @param maxQueryLength the query truncation length in tokens
 * @param verbalizerHead the text before the passage
 * @param verbalizer the instruction after the passage
 * @param mean whether the score is the mean (else the sum) of the query tokens' log-probabilities
 * @param device the device option
 * @param dtype the dtype option
 */
public record UprSettings(
    int batchSize,
    int maxLength,
    int maxQueryLength,
    String verbalizerHead,
    String verbalizer,
    boolean mean,
    String device,
    String dtype) {}
