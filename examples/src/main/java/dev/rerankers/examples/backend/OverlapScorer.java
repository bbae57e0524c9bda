package dev.rerankers.examples.backend;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.BatchedScorer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores (query, document) pairs on core's {@link BatchedScorer}: it gives how to encode a pair,
 * how long an encoded pair is, and how to score one batch; the template does the rest (threads
 * and close, longest-first batches shared across queries, scores back in input order, error
 * context). A real backend's {@code scoreBatch} runs one forward pass of its model here.
 *
 * <p>Thread-safe: it holds no mutable state.
 */
final class OverlapScorer extends BatchedScorer<OverlapScorer.Pair> {
  /** One encoded pair: the query's words and the document's. */
  record Pair(Set<String> query, Set<String> document) {}

  private final OverlapSettings settings;

  OverlapScorer(String model, OverlapSettings settings) {
    super(new RerankerInfo("example-overlap", model, "example", "cpu", null,
        Map.of("caseSensitive", String.valueOf(settings.caseSensitive()))), settings.batchSize());
    this.settings = settings;
  }

  @Override
  protected List<Pair> encode(String query, List<Document> documents) {
    Set<String> q = words(query);
    List<Pair> out = new ArrayList<>(documents.size());
    for (Document d : documents) {
      out.add(new Pair(q, words(d.text())));
    }
    return out;
  }

  @Override
  protected int length(Pair pair) {
    return pair.document().size();
  }

  @Override
  protected double[] scoreBatch(List<Pair> batch) {
    double[] scores = new double[batch.size()];
    for (int i = 0; i < scores.length; i++) {
      Pair p = batch.get(i);
      long hits = p.query().stream().filter(p.document()::contains).count();
      scores[i] = p.query().isEmpty() ? 0 : hits / (double) p.query().size();
    }
    return scores;
  }

  private Set<String> words(String text) {
    String t = settings.caseSensitive() ? text : text.toLowerCase(Locale.ROOT);
    Set<String> out = new HashSet<>();
    for (String w : t.split("[^\\p{L}\\p{N}]+")) {
      if (w.length() >= settings.minWordLength()) {
        out.add(w);
      }
    }
    out.remove("");
    return out;
  }
}
