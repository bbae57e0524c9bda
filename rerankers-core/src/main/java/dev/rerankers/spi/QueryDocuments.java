package dev.rerankers.spi;

import dev.rerankers.Document;
import java.util.List;
import java.util.Objects;

/**
 * One query and its documents, an element of {@link Scorer#scoreAll}: several queries scored in
 * one call so pointwise backends can share forward passes between them.
 *
 * @param query the query
 * @param documents its documents, validated by the facade
 */
public record QueryDocuments(String query, List<Document> documents) {
  /** Copies the list. */
  public QueryDocuments {
    Objects.requireNonNull(query, "query");
    documents = List.copyOf(documents);
  }
}
