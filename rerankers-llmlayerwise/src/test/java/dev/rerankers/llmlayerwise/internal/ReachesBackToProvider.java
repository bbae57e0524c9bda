package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.llmlayerwise.LlmProvider;

/** The import ArchitectureTest must catch: internal code reading the provider's declarations. */
final class ReachesBackToProvider {
  private ReachesBackToProvider() {}

  static String key() {
    return LlmProvider.PROMPT.key();
  }
}
