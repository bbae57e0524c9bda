package dev.rerankers.server.internal;

import dev.rerankers.Reranker;

/**
 * One served model: its name, its ranker, and how its requests are run. Filled once loaded;
 * until then requests for it get a 503.
 */
final class ModelSlot {
  final String name;
  final String spec;
  volatile Reranker ranker;
  volatile Runner runner;
  volatile int tokenCap = TokenEstimate.DEFAULT_CAP;

  ModelSlot(String name, String spec) {
    this.name = name;
    this.spec = spec;
  }

  boolean loaded() {
    return runner != null;
  }
}
