package dev.rerankers.monovlm.internal;

import dev.rerankers.monovlm.MonoVlmProvider;

/** The import ArchitectureTest must catch: internal code reading the provider's declarations. */
final class ReachesBackToProvider {
  private ReachesBackToProvider() {}

  static String key() {
    return MonoVlmProvider.ALLOW_URLS.key();
  }
}
