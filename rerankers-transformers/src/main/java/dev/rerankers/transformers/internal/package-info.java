/**
 * Plumbing of the transformers backend: the loaders (a spec and its settings record in, a scorer
 * out), the scorers on core's {@link dev.rerankers.spi.BatchedScorer}, checkpoint formats and the
 * logits models behind them. Not API.
 *
 * <p>Layering (enforced by {@code LayeringTest}): only the provider uses this package; it uses
 * {@code models}, {@code nn} and {@code checkpoint}, never the provider (the provider turns options
 * into the settings records).
 */
package dev.rerankers.transformers.internal;
