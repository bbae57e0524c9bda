package dev.rerankers.colbert.internal;

import dev.rerankers.Catalog;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.colbert.ColbertProvider;
import dev.rerankers.spi.OptionValues;

/** Loads the scorer behind a config string the way core does, for tests that look inside it. */
public final class LoadedScorer {
  private LoadedScorer() {}

  public static LateInteractionScorer of(String config) {
    RerankerSpec spec = Reranker.resolve(config);
    OptionValues options = OptionValues.parse(Catalog.options(spec.type()), spec.options(), config);
    return (LateInteractionScorer) new ColbertProvider().create(spec, options);
  }
}
