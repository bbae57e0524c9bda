package dev.rerankers;

import java.util.List;
import java.util.Objects;

/**
 * One query and its documents, an element of {@link Reranker#rankAll(List)}.
 *
 * @param query the query
 * @param documents its documents (ids and metadata as in {@link Reranker#rankDocuments})
 */
public record RankRequest(String query, List<Document> documents) {
  /** Checks for nulls and copies the list. */
  public RankRequest {
    if (query == null) {
      throw new IllegalArgumentException("query is null");
    }
    if (documents == null) {
      throw new IllegalArgumentException("documents is null");
    }
    documents = List.copyOf(documents);
  }

  /** A request for texts, ids 0..n-1. */
  public static RankRequest ofTexts(String query, List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    return new RankRequest(query, texts.stream().map(Document::of).toList());
  }
}
