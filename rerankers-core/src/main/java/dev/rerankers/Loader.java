package dev.rerankers;

import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.lang.System.Logger.Level;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns builders into specs (inference) and specs into rankers (provider lookup). */
final class Loader {
  private static final System.Logger LOG = System.getLogger(Reranker.class.getName());

  private Loader() {}

  static RerankerSpec resolve(Reranker.Builder b) {
    String lang = b.options().getOrDefault(RerankerSpec.LANG, "en");
    String explicit = b.type();
    ProviderRegistry registry = ProviderRegistry.current();
    if (explicit != null && !registry.knownTypes().contains(explicit)) {
      throw new ConfigException(
          "unknown model type '"
              + explicit
              + "'; known types: "
              + String.join(", ", new TreeSet<>(registry.knownTypes())));
    }
    TypeInference.Decision d = TypeInference.infer(b.model(), lang, explicit);
    RerankerProvider provider = registry.find(d.type());
    String backend =
        provider != null
            ? provider.name()
            : BuiltInBackends.TYPES.get(d.type()) == null ? null : BuiltInBackends.TYPES.get(d.type()).backend();
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
    RerankerProvider provider = ProviderRegistry.current().find(spec.type());
    if (provider == null) {
      throw new BackendNotFoundException(
          spec.type(), BuiltInBackends.missingBackendMessage(spec.type(), spec.model()));
    }
    OptionValues values = OptionValues.parse(
        declarations(provider, spec.type()), spec.options(),
        "type " + spec.type() + " (backend " + provider.name() + ")");
    Scorer scorer;
    try {
      scorer = provider.create(spec, values);
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

  /** The options a type accepts: the common ones, refined and extended by its provider. */
  static List<Option<?>> declarations(RerankerProvider provider, String type) {
    Map<String, Option<?>> byKey = new LinkedHashMap<>();
    for (Option<?> o : CommonOptions.ALL) {
      byKey.put(o.key(), o);
    }
    for (Option<?> o : provider.options(type)) {
      byKey.put(o.key(), o);
    }
    return List.copyOf(byKey.values());
  }

  /** Every type a spec may name: the built-in ones and those registered providers add. */
  static Set<String> knownTypes() {
    return ProviderRegistry.current().knownTypes();
  }

  /** The registered providers, as loads see them. */
  static List<RerankerProvider> providers() {
    return ProviderRegistry.current().providers();
  }
}
