package dev.rerankers;

import dev.rerankers.spi.Option;
import dev.rerankers.spi.RerankerProvider;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the library knows without loading anything: the model families and their default model per
 * language, the built-in model types and the modules that serve them, and the providers installed
 * on the classpath. Used by tools such as {@code rerankers models}.
 */
public final class Catalog {
  private Catalog() {}

  /**
   * The model families (the names {@link Reranker#load} accepts as a whole, e.g. {@code "colbert"})
   * with their default model per language; {@code "other"} is the default for languages without
   * their own. In the order of the Python library's defaults table, Java-only families last.
   */
  public static Map<String, Map<String, String>> families() {
    return TypeInference.DEFAULTS;
  }

  /** The model type a family stands for ({@code rankgpt3} → {@code rankgpt}). */
  public static String familyType(String family) {
    if (!TypeInference.DEFAULTS.containsKey(family)) {
      throw new IllegalArgumentException("'" + family + "' is not a model family; families: " + families().keySet());
    }
    return TypeInference.familyType(family);
  }

  /** The built-in model types, in a stable order. */
  public static Set<String> builtInTypes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(BuiltInBackends.TYPES.keySet()));
  }

  /** The artifactId of the module serving a built-in type ({@code "rerankers-transformers"}); empty if none does. */
  public static Optional<String> moduleOf(String type) {
    BuiltInBackends.Module m = BuiltInBackends.TYPES.get(type);
    return m == null ? Optional.empty() : Optional.of(m.artifactId());
  }

  /** The backend (provider) name serving a built-in type ({@code "transformers"}); empty if none does. */
  public static Optional<String> backendOf(String type) {
    BuiltInBackends.Module m = BuiltInBackends.TYPES.get(type);
    return m == null ? Optional.empty() : Optional.of(m.backend());
  }

  /** The providers registered on the context class loader, as {@link Reranker#load} sees them. */
  public static List<RerankerProvider> installedProviders() {
    return Loader.providers();
  }

  /**
   * The options a model type accepts, as its backend declares them (the common ones included, with
   * the backend's defaults), for tools such as {@code rerankers models --options TYPE}.
   *
   * @throws BackendNotFoundException when no provider on the classpath serves the type
   */
  public static List<Option<?>> options(String type) {
    RerankerProvider provider = ProviderRegistry.current().find(type);
    if (provider == null) {
      throw new BackendNotFoundException(type, BuiltInBackends.missingBackendMessage(type, type));
    }
    return Loader.declarations(provider, type);
  }

  /** This library's version. */
  public static String version() {
    return BuiltInBackends.VERSION;
  }
}
