package dev.rerankers.spi;

import dev.rerankers.RerankerSpec;
import java.util.List;
import java.util.Set;

/**
 * A backend module's entry point, found with {@link java.util.ServiceLoader}. Each backend jar
 * lists its implementation in {@code META-INF/services/dev.rerankers.spi.RerankerProvider}.
 * Third parties add their own model types the same way.
 *
 * <p>A load goes: core parses the config string, infers the type, finds the provider serving it,
 * parses and checks every option against {@link CommonOptions#ALL} plus the provider's {@link
 * #options(String)}, then calls {@link #create(RerankerSpec, OptionValues)} with the typed values.
 * A backend never parses or validates option strings itself.
 *
 * <p>Implementations need a public no-argument constructor, must be cheap to construct and
 * stateless: core creates each provider once per class loader and shares it. Heavy work belongs in
 * {@link #create}.
 */
public interface RerankerProvider {

  /** A short name for messages and {@code resolve}, e.g. {@code "transformers"}. */
  String name();

  /** The model types this provider serves, e.g. {@code Set.of("cross-encoder", "t5")}. */
  Set<String> modelTypes();

  /**
   * The options a type accepts beyond {@link CommonOptions#ALL}, and the common ones this backend
   * refines (a declaration whose key is a common option's replaces it, e.g. {@code
   * CommonOptions.BATCH_SIZE.defaultValue(32)}). Any other key is rejected before {@link #create}
   * is called.
   */
  default List<Option<?>> options(String modelType) {
    return List.of();
  }

  /**
   * When two providers serve the same type, the higher priority wins (built-in backends use 0). A
   * tie is a configuration error.
   */
  default int priority() {
    return 0;
  }

  /**
   * Loads a scorer for a resolved spec with its checked options. Called only with a type from
   * {@link #modelTypes()}.
   *
   * @param spec which model and type (its raw {@link RerankerSpec#options()} are for display only)
   * @param options every declared option, parsed, checked and with defaults filled
   * @throws dev.rerankers.RerankerException (or a subclass) when loading fails
   */
  Scorer create(RerankerSpec spec, OptionValues options);
}
