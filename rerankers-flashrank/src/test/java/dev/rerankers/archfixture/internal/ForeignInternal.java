package dev.rerankers.archfixture.internal;

/** Stands for another module's internal class in flashrank's ArchitectureTest (test tree only). */
public final class ForeignInternal {
  /** Not a constant expression, so the use is a real dependency in the class file. */
  public static final Integer VALUE = Integer.valueOf(41);

  private ForeignInternal() {}
}
