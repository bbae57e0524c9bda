package dev.rerankers.other.internal;

/** Stands for another module's internal class (ArchitectureTest fixture). */
public final class OtherModuleInternal {
  private OtherModuleInternal() {}

  /** Something to call. */
  public static int answer() {
    return 42;
  }
}
