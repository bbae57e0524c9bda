package dev.rerankers;

import java.util.Map;
import java.util.Objects;

/**
 * One ranked document.
 *
 * @param document the caller's document, untouched
 * @param score the ranker's score (higher is more relevant), or {@code null} for rankers that only
 *     order documents (RankGPT and other listwise rankers)
 * @param rank 1 for the best document
 */
public record Result(Document document, Double score, int rank) {

  public Result {
    Objects.requireNonNull(document, "document");
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
  }

  /** The document's text ({@code null} for a bare image document). */
  public String text() {
    return document.text();
  }

  /** The document's id. */
  public Object id() {
    return document.id();
  }

  /** The document's metadata. */
  public Map<String, Object> metadata() {
    return document.metadata();
  }

  /** Whether this result carries a score. */
  public boolean hasScore() {
    return score != null;
  }

  @Override
  public String toString() {
    return "Result[rank="
        + rank
        + ", score="
        + score
        + ", id="
        + document.id()
        + ", text="
        + RankedResults.abbreviate(document.text(), 60)
        + "]";
  }
}
