package dev.rerankers.cli.eval;

import java.util.Locale;

/** Where each query's candidate documents come from. */
public enum FirstStage {
  /** BM25 over the corpus (Lucene, in memory); the top {@code depth} hits, scored. */
  BM25,
  /** The query's judged documents, in qrels order, unscored (answer-selection style sets). */
  JUDGED,
  /** The whole corpus, in corpus order, unscored: exhaustive reranking for small corpora. */
  ALL;

  /** Parses {@code bm25}, {@code judged} or {@code all}, in any case. */
  public static FirstStage parse(String name) {
    if (name != null) {
      for (FirstStage f : values()) {
        if (f.toString().equals(name.strip().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException("first stage must be bm25, judged or all, got '" + name + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
