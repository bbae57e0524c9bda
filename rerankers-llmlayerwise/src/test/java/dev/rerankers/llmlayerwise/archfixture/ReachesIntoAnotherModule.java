package dev.rerankers.llmlayerwise.archfixture;

import dev.rerankers.other.internal.OtherModuleInternal;

/** The import ArchitectureTest must catch: another module's internal package. */
public final class ReachesIntoAnotherModule {
  private ReachesIntoAnotherModule() {}

  /** Uses the other module's internals. */
  public static int use() {
    return OtherModuleInternal.answer();
  }
}
