package dev.rerankers;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The documents of one {@code rank} call, best first, with ranks 1..n.
 *
 * <p>When the ranker gives scores, results are sorted by descending score with ties kept in input
 * order. Rankers that only order documents (RankGPT) give results with {@code null} scores and
 * {@link #hasScores()} {@code false}. Every input document appears exactly once.
 *
 * @param query the query
 * @param results the results in rank order
 * @param hasScores whether results carry scores
 * @param usage what the call consumed (hosted APIs report tokens or units; local models nothing)
 * @param answeredBy which ranker produced this, e.g. {@code "cohere:rerank-english-v3.0"}; with
 *     {@link Reranker#withFallback} it tells whether the fallback answered
 * @param elapsed wall-clock time of the call, measured by the facade
 */
public record RankedResults(
    String query,
    List<Result> results,
    boolean hasScores,
    Usage usage,
    String answeredBy,
    Duration elapsed)
    implements Iterable<Result> {

  public RankedResults {
    Objects.requireNonNull(query, "query");
    results = List.copyOf(results);
    usage = usage == null ? Usage.NONE : usage;
    answeredBy = answeredBy == null ? "" : answeredBy;
    elapsed = elapsed == null ? Duration.ZERO : elapsed;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).rank() != i + 1) {
        throw new IllegalArgumentException(
            "results must be in rank order 1..n; results[" + i + "] has rank " + results.get(i).rank());
      }
    }
  }

  /** The best {@code k} results (all of them when fewer). */
  public List<Result> topK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    return results.subList(0, Math.min(k, results.size()));
  }

  /** The result at a 0-based position in rank order. */
  public Result get(int index) {
    return results.get(index);
  }

  /** The number of results. */
  public int size() {
    return results.size();
  }

  /** Whether there are no results. */
  public boolean isEmpty() {
    return results.isEmpty();
  }

  /**
   * The score of the document with this id; empty when no document has it or the ranker gives no
   * scores. Numeric ids compare by value ({@code 3} equals {@code 3L}).
   */
  public OptionalDouble scoreOf(Object id) {
    return resultOf(id)
        .filter(Result::hasScore)
        .map(r -> OptionalDouble.of(r.score()))
        .orElse(OptionalDouble.empty());
  }

  /** The result of the document with this id, if any. */
  public Optional<Result> resultOf(Object id) {
    Object key = Document.idKey(id);
    for (Result r : results) {
      if (Objects.equals(Document.idKey(r.id()), key)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public Iterator<Result> iterator() {
    return results.iterator();
  }

  /** The results as a stream, in rank order. */
  public Stream<Result> stream() {
    return results.stream();
  }

  /** A readable table: one line per result (the first 10), then a count of the rest. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("RankedResults[query=\"")
        .append(abbreviate(query, 60))
        .append("\", ")
        .append(results.size())
        .append(results.size() == 1 ? " result" : " results");
    if (!answeredBy.isEmpty()) {
      sb.append(", by ").append(answeredBy);
    }
    sb.append(String.format(Locale.ROOT, ", %.1f ms", elapsed.toNanos() / 1e6));
    if (!usage.isEmpty()) {
      sb.append(", usage ").append(usage.units());
    }
    sb.append(']');
    int shown = Math.min(10, results.size());
    for (int i = 0; i < shown; i++) {
      Result r = results.get(i);
      sb.append(String.format(Locale.ROOT, "%n  %3d  ", r.rank()));
      sb.append(r.hasScore() ? String.format(Locale.ROOT, "%10.4f", r.score()) : "         -");
      sb.append("  id=").append(r.id()).append("  ").append(abbreviate(r.text(), 70));
    }
    if (results.size() > shown) {
      sb.append(String.format(Locale.ROOT, "%n  ... %d more", results.size() - shown));
    }
    return sb.toString();
  }


  static String abbreviate(String text, int max) {
    if (text == null) {
      return "<image>";
    }
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
