package dev.rerankers.archfixture.other.internal;

/** Fixture for ArchitectureTest: a class in another module's internal package. */
public final class Hidden {
  public static int value() {
    return 1;
  }
}
