package dev.rerankers.cli.eval;

/** Progress of one long task (a first stage, one reranker over the queries). */
public interface Progress extends AutoCloseable {

  /** One unit of work done. */
  void step();

  /** The task is over (also on failure). */
  @Override
  void close();

  /** Starts the progress display of tasks. */
  @FunctionalInterface
  interface Factory {
    /** A progress display for a task of {@code total} units. */
    Progress start(String task, long total);

    /** A factory whose displays show nothing. */
    static Factory none() {
      return (task, total) -> new Progress() {
        @Override
        public void step() {}

        @Override
        public void close() {}
      };
    }
  }
}
