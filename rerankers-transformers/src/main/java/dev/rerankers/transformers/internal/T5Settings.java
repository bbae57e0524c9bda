package dev.rerankers.transformers.internal;

/**
 * The options of one {@code t5} load, parsed and checked once by the provider: what {@link
 * T5Loader#loadRanker} reads instead of the spec's raw options.
 *
 * @param batchSize texts per batch
 * @param maxLength the truncation length in tokens
 * @param template the input template
 * @param tokenFalse the "not relevant" token (piece or id), or {@link PredictionTokens#AUTO}
 * @param tokenTrue the "relevant" token (piece or id), or {@link PredictionTokens#AUTO}
 * @param returnLogits whether the score is the raw logit of the true token
 * @param device the device option
 * @param dtype the dtype option
 */
public record T5Settings(
    int batchSize,
    int maxLength,
    InputTemplate template,
    String tokenFalse,
    String tokenTrue,
    boolean returnLogits,
    String device,
    String dtype) {}
