package dev.rerankers;

import dev.rerankers.spi.RerankerProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The providers on a class loader, found with {@link ServiceLoader} once per class loader and
 * kept: providers are stateless by contract, and a load should not rescan the classpath. The only
 * global state of the library.
 */
final class ProviderRegistry {
  private static final Map<ClassLoader, ProviderRegistry> BY_LOADER = new WeakHashMap<>();

  private final List<RerankerProvider> providers;

  private ProviderRegistry(List<RerankerProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The registry of the context class loader (this library's loader when there is none). */
  static ProviderRegistry current() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = ProviderRegistry.class.getClassLoader();
    }
    synchronized (BY_LOADER) {
      ProviderRegistry r = BY_LOADER.get(cl);
      if (r == null) {
        r = new ProviderRegistry(scan(cl));
        BY_LOADER.put(cl, r);
      }
      return r;
    }
  }

  private static List<RerankerProvider> scan(ClassLoader cl) {
    List<RerankerProvider> out = new ArrayList<>();
    try {
      for (RerankerProvider p : ServiceLoader.load(RerankerProvider.class, cl)) {
        out.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new ConfigException("a rerankers backend on the classpath failed to start: " + e.getMessage(), e);
    }
    return out;
  }

  List<RerankerProvider> providers() {
    return providers;
  }

  /** Every type a spec may name: the built-in ones and those registered providers add. */
  Set<String> knownTypes() {
    Set<String> types = new HashSet<>(BuiltInBackends.TYPES.keySet());
    for (RerankerProvider p : providers) {
      types.addAll(p.modelTypes());
    }
    return types;
  }

  /** The provider serving a type: the highest priority; a tie between two is an error. */
  RerankerProvider find(String type) {
    RerankerProvider best = null;
    for (RerankerProvider p : providers) {
      if (!p.modelTypes().contains(type)) {
        continue;
      }
      if (best == null || p.priority() > best.priority()) {
        best = p;
      } else if (p.priority() == best.priority()) {
        throw new ConfigException(
            "two providers serve model type '"
                + type
                + "' with the same priority: "
                + best.getClass().getName()
                + " and "
                + p.getClass().getName()
                + "; remove one from the classpath or give one a higher priority()");
      }
    }
    return best;
  }
}
