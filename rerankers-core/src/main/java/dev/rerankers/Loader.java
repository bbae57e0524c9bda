package dev.rerankers;

import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/** Turns builders into specs (inference) and specs into rankers (provider lookup). */
final class Loader {
  private static final System.Logger LOG = System.getLogger(Reranker.class.getName());

  private Loader() {}

  static RerankerSpec resolve(Reranker.Builder b) {
    String lang = b.options().getOrDefault(RerankerSpec.LANG, "en");
    String explicit = b.type();
    List<RerankerProvider> providers = providers();
    if (explicit != null && !BackendCatalog.TYPES.containsKey(explicit) && find(providers, explicit) == null) {
      throw new ConfigException(
          "unknown model type '"
              + explicit
              + "'; known types: "
              + String.join(", ", new TreeSet<>(knownTypes(providers))));
    }
    TypeInference.Decision d = TypeInference.infer(b.model(), lang, explicit);
    RerankerProvider provider = find(providers, d.type());
    String backend =
        provider != null
            ? provider.name()
            : BackendCatalog.TYPES.get(d.type()) == null ? null : BackendCatalog.TYPES.get(d.type()).backend();
    RerankerSpec spec =
        new RerankerSpec(b.model(), d.model(), d.type(), d.apiProvider(), backend, explicit != null, d.reason(), b.options());
    // A model name never holds a secret, unless one was typed there ("cohere:apiKey=..."): mask it anyway.
    String shownModel = Credentials.maskConfigString(b.model());
    String shownResolved = Credentials.maskConfigString(d.model());
    if (explicit == null) {
      LOG.log(
          Level.INFO,
          "''{0}'' resolved to type {1}, model {2} ({3}); to pin it, load ''{1}:{2}''",
          shownModel, d.type(), shownResolved, Credentials.maskConfigString(d.reason()));
    } else {
      LOG.log(Level.DEBUG, "''{0}'' resolved to pinned type {1}, model {2}", shownModel, d.type(), shownResolved);
    }
    return spec;
  }

  static Reranker load(RerankerSpec spec) {
    RerankerProvider provider = find(providers(), spec.type());
    if (provider == null) {
      throw new BackendNotFoundException(
          spec.type(), BackendCatalog.missingBackendMessage(spec.type(), spec.model()));
    }
    Set<String> allowed = new LinkedHashSet<>(RerankerSpec.COMMON_OPTIONS);
    allowed.addAll(provider.optionKeys(spec.type()));
    for (String key : spec.options().keySet()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(
            "unknown option '"
                + key
                + "' for type "
                + spec.type()
                + " (backend "
                + provider.name()
                + "); allowed: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    Scorer scorer;
    try {
      scorer = provider.create(spec);
    } catch (RuntimeException e) {
      RuntimeException scrubbed = withoutCredentials(e, spec);
      if (scrubbed != null) {
        throw scrubbed;
      }
      if (e instanceof RerankerException || e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new ModelLoadException("loading " + spec.type() + ":" + spec.model() + " failed: " + e, e);
    }
    if (scorer == null) {
      throw new ModelLoadException("provider " + provider.name() + " returned no scorer for " + spec);
    }
    LOG.log(Level.INFO, "loaded {0}", scorer.info());
    return new ScorerReranker(scorer);
  }

  /**
   * A safety net for backends: when an exception from {@code create} quotes one of the spec's
   * credentials anywhere in its chain (a library validating a header value, say), an exception of
   * the same kind with the credential masked and without the chain; {@code null} when it quotes none.
   */
  static RuntimeException withoutCredentials(RuntimeException e, RerankerSpec spec) {
    List<String> secrets = new ArrayList<>();
    spec.options().forEach((k, v) -> {
      if (Credentials.isCredentialOption(k) && v != null && v.length() >= 4) {
        secrets.add(v);
      }
    });
    boolean quoted = false;
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = e; t != null && seen.add(t) && !quoted; t = t.getCause()) {
      String text = String.valueOf(t.getMessage());
      quoted = secrets.stream().anyMatch(text::contains);
    }
    if (!quoted) {
      return null;
    }
    String message = String.valueOf(e.getMessage());
    for (String s : secrets) {
      message = message.replace(s, Credentials.mask(s));
    }
    message = "loading " + spec.type() + ":" + spec.model() + " failed: " + e.getClass().getName() + ": " + message
        + " (its cause is left out: it quoted a credential)";
    return e instanceof ConfigException || e instanceof IllegalArgumentException
        ? new ConfigException(message)
        : new ModelLoadException(message);
  }

  /** Every type a spec may name: the built-in ones and those registered providers add. */
  static Set<String> knownTypes() {
    return knownTypes(providers());
  }

  private static Set<String> knownTypes(List<RerankerProvider> providers) {
    Set<String> types = new HashSet<>(BackendCatalog.TYPES.keySet());
    for (RerankerProvider p : providers) {
      types.addAll(p.modelTypes());
    }
    return types;
  }

  /** The provider serving a type: the highest priority; a tie between two is an error. */
  private static RerankerProvider find(List<RerankerProvider> providers, String type) {
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

  /** The registered providers, found with ServiceLoader on the context class loader. */
  static List<RerankerProvider> providers() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = Loader.class.getClassLoader();
    }
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
}
