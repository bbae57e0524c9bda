package dev.rerankers.archfixture.internal;

/** Stands for another module's internal class in {@code ModuleRulesTest}. */
public final class ForeignInternal {
  /** Something to call. */
  public static int answer() {
    return 42;
  }
}
