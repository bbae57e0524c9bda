package dev.rerankers.api;

import java.util.List;

/** Test helper: the threads this backend starts, and waiting for them to end. */
final class Threads {
  private Threads() {}

  static List<String> apiThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("rerankers-api-"))
        .sorted()
        .toList();
  }

  /** Waits up to 3 s for every thread of this backend to end; returns those still alive. */
  static List<String> awaitNoApiThreads() throws InterruptedException {
    long end = System.nanoTime() + 3_000_000_000L;
    List<String> alive = apiThreads();
    while (!alive.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(20);
      alive = apiThreads();
    }
    return alive;
  }
}
