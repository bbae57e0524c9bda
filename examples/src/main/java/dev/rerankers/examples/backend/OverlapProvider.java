package dev.rerankers.examples.backend;

import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.List;
import java.util.Set;

/**
 * The smallest complete backend, the worked example of docs/adding-a-backend.md: type {@code
 * example-overlap} scores a document by the share of the query's distinct words it contains. It is
 * not a model; it shows the three parts every backend has: declared options, a settings record read
 * once, and a scorer on the batched template. Registered in {@code
 * META-INF/services/dev.rerankers.spi.RerankerProvider}, so {@code
 * Reranker.load("example-overlap:any?caseSensitive=true")} finds it.
 */
public final class OverlapProvider implements RerankerProvider {
  /** Option: compare words with their case (default false). */
  public static final Option<Boolean> CASE_SENSITIVE =
      Option.bool("caseSensitive", "compare words with their case").defaultValue(false);

  /** Option: words shorter than this are ignored (default 1: none). */
  public static final Option<Integer> MIN_WORD_LENGTH =
      Option.integer("minWordLength", "ignore words shorter than this").atLeast(1).atMost(100).defaultValue(1);

  /** The common batch size, with this backend's default. */
  static final Option<Integer> BATCH_SIZE = CommonOptions.BATCH_SIZE.defaultValue(64);

  @Override
  public String name() {
    return "example";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("example-overlap");
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return List.of(BATCH_SIZE, CASE_SENSITIVE, MIN_WORD_LENGTH);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return new OverlapScorer(spec.model(), OverlapSettings.of(options));
  }
}
