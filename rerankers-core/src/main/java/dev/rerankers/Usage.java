package dev.rerankers;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a call consumed, in the units the backend bills or reports: for hosted APIs the provider's
 * own figures ({@code "tokens"}, {@code "search_units"}, {@code "rerank_units"}, ...), for local
 * models usually nothing. Summed over split requests.
 *
 * @param units unit name to amount, sorted by name
 */
public record Usage(Map<String, Long> units) {

  /** No usage reported. */
  public static final Usage NONE = new Usage(Map.of());

  /** Common unit: tokens processed (input tokens for rerank APIs). */
  public static final String TOKENS = "tokens";

  /** Common unit: Cohere's search units. */
  public static final String SEARCH_UNITS = "search_units";

  /** Common unit: Pinecone's rerank units. */
  public static final String RERANK_UNITS = "rerank_units";

  /** Common unit: HTTP requests made. */
  public static final String REQUESTS = "requests";

  public Usage {
    Objects.requireNonNull(units, "units");
    TreeMap<String, Long> copy = new TreeMap<>();
    for (Map.Entry<String, Long> e : units.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("usage units must not contain nulls: " + units);
      }
      copy.put(e.getKey(), e.getValue());
    }
    units = Collections.unmodifiableMap(copy);
  }

  /** A usage of one unit. */
  public static Usage of(String unit, long amount) {
    return new Usage(Map.of(unit, amount));
  }

  /** The amount of one unit, 0 when not reported. */
  public long get(String unit) {
    return units.getOrDefault(unit, 0L);
  }

  /** Whether nothing was reported. */
  public boolean isEmpty() {
    return units.isEmpty();
  }

  /** The unit-wise sum of this and another usage. */
  public Usage plus(Usage other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    TreeMap<String, Long> sum = new TreeMap<>(units);
    other.units.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new Usage(sum);
  }
}
