package dev.rerankers.cli.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset in the BEIR layout, read by {@link BeirReader}: the corpus, the queries and one split's
 * relevance judgments. Maps keep file order. Immutable.
 *
 * @param name a display name (the folder as given)
 * @param split the qrels split read ({@code test}, {@code dev}, ...)
 * @param corpus documents by id, in corpus order
 * @param queries query texts by id, in file order
 * @param qrels judgments: query id to (document id to grade), in file order
 */
public record BeirDataset(
    String name,
    String split,
    Map<String, CorpusDoc> corpus,
    Map<String, String> queries,
    Map<String, Map<String, Integer>> qrels) {

  public BeirDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(split, "split");
    corpus = Collections.unmodifiableMap(new LinkedHashMap<>(corpus));
    queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    Map<String, Map<String, Integer>> q = new LinkedHashMap<>();
    qrels.forEach((k, v) -> q.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    qrels = Collections.unmodifiableMap(q);
  }

  /**
   * The query ids to evaluate: queries with at least one judgment, in queries-file order, at most
   * {@code limit} of them ({@code limit <= 0}: all).
   */
  public List<String> evaluatedQueries(int limit) {
    List<String> ids = new ArrayList<>();
    for (String id : queries.keySet()) {
      if (qrels.containsKey(id)) {
        ids.add(id);
        if (limit > 0 && ids.size() == limit) {
          break;
        }
      }
    }
    return ids;
  }
}
