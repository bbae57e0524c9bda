package dev.rerankers.archfixture.mine;

import dev.rerankers.archfixture.other.internal.Hidden;

/** Fixture for ArchitectureTest: the import the rule must catch. */
public final class UsesForeignInternal {
  public static int value() {
    return Hidden.value();
  }
}
