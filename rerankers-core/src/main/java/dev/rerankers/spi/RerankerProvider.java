package dev.rerankers.spi;

import dev.rerankers.RerankerSpec;
import java.util.Set;

/**
 * A backend module's entry point, found with {@link java.util.ServiceLoader}. Each backend jar
 * lists its implementation in {@code META-INF/services/dev.rerankers.spi.RerankerProvider}.
 * Third parties add their own model types the same way.
 *
 * <p>Implementations need a public no-argument constructor and must be cheap to construct: the
 * facade instantiates every provider on each {@code load}. Heavy work belongs in {@link #create}.
 */
public interface RerankerProvider {

  /** A short name for messages and {@code resolve}, e.g. {@code "transformers"}. */
  String name();

  /** The model types this provider serves, e.g. {@code Set.of("cross-encoder", "t5")}. */
  Set<String> modelTypes();

  /**
   * Backend-specific option keys accepted for a type (beyond the common ones of {@link
   * RerankerSpec#COMMON_OPTIONS}). Any other key is rejected before {@link #create} is called.
   */
  default Set<String> optionKeys(String modelType) {
    return Set.of();
  }

  /**
   * When two providers serve the same type, the higher priority wins (built-in backends use 0). A
   * tie is a configuration error.
   */
  default int priority() {
    return 0;
  }

  /**
   * Loads a scorer for a resolved spec. Called only with a type from {@link #modelTypes()} and
   * options that passed validation.
   *
   * @throws dev.rerankers.RerankerException (or a subclass) when loading fails
   */
  Scorer create(RerankerSpec spec);
}
