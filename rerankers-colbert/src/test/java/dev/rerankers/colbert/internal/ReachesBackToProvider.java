package dev.rerankers.colbert.internal;

import dev.rerankers.colbert.ColbertProvider;

/** The import ArchitectureTest must catch: internal code reading the provider's declarations. */
final class ReachesBackToProvider {
  private ReachesBackToProvider() {}

  static String key() {
    return ColbertProvider.CACHE_MB.key();
  }
}
