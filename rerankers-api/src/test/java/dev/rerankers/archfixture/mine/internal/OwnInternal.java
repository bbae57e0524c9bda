package dev.rerankers.archfixture.mine.internal;

/** Fixture for ArchitectureTest: a class in the module's own internal package. */
public final class OwnInternal {
  public static int value() {
    return 2;
  }
}
