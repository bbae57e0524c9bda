package dev.rerankers.flashrank.archfixture;

import dev.rerankers.archfixture.internal.ForeignInternal;

/** A class that breaks the layering on purpose, for ArchitectureTest to prove its rule fails. */
public final class ImportsForeignInternal {
  private ImportsForeignInternal() {}

  /** Uses the other "module's" internal class. */
  public static int use() {
    return ForeignInternal.VALUE + 1;
  }
}
