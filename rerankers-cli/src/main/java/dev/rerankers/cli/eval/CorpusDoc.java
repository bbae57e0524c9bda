package dev.rerankers.cli.eval;

import java.util.Objects;

/**
 * One corpus document of a BEIR dataset.
 *
 * @param id the document id ({@code _id})
 * @param title the title, empty when absent
 * @param text the body text
 */
public record CorpusDoc(String id, String title, String text) {

  public CorpusDoc {
    Objects.requireNonNull(id, "id");
    title = title == null ? "" : title;
    Objects.requireNonNull(text, "text");
  }

  /**
   * What rankers and BM25 see: {@code title + " " + text}, stripped, as BEIR's reranking and dense
   * retrieval code join them.
   */
  public String fullText() {
    return title.isEmpty() ? text.strip() : (title + " " + text).strip();
  }
}
