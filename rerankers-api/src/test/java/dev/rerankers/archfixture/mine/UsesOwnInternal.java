package dev.rerankers.archfixture.mine;

import dev.rerankers.archfixture.mine.internal.OwnInternal;

/** Fixture for ArchitectureTest: an import the rule allows. */
public final class UsesOwnInternal {
  public static int value() {
    return OwnInternal.value();
  }
}
