package dev.rerankers.spi;

import dev.rerankers.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The options of one load, parsed and checked against their {@link Option} declarations: what a
 * backend reads instead of raw strings. Built by core (every key known, every value in range,
 * defaults filled) before {@link RerankerProvider#create} runs, so a backend's loader reads typed
 * values and never validates again.
 *
 * <pre>{@code
 * record Settings(int batchSize, long cacheBytes) {
 *   static Settings of(OptionValues o) {
 *     return new Settings(o.get(BATCH_SIZE), (long) o.get(CACHE_MB) << 20);
 *   }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks secrets.
 */
public final class OptionValues {
  private final Map<String, Option<?>> declared;
  private final Map<String, Object> values;

  private OptionValues(Map<String, Option<?>> declared, Map<String, Object> values) {
    this.declared = declared;
    this.values = values;
  }

  /**
   * Parses raw config-string options against declarations.
   *
   * @param declarations every option accepted (later ones replace earlier ones with the same key,
   *     so a backend's {@code batchSize} with its own default replaces the common one)
   * @param raw the options as given, by key
   * @param context what the options are for, for messages (e.g. {@code "type cross-encoder
   *     (backend transformers)"})
   * @throws ConfigException for an unknown key (listing the allowed ones) or a bad value
   */
  public static OptionValues parse(List<Option<?>> declarations, Map<String, String> raw, String context) {
    Map<String, Option<?>> declared = new LinkedHashMap<>();
    for (Option<?> o : declarations) {
      declared.remove(o.key());
      declared.put(o.key(), o);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      Option<?> o = declared.get(e.getKey());
      if (o == null) {
        throw new ConfigException(
            "unknown option '" + e.getKey() + "' for " + context + "; allowed: "
                + String.join(", ", new TreeSet<>(declared.keySet())));
      }
      values.put(o.key(), o.parse(e.getValue()));
    }
    return new OptionValues(Collections.unmodifiableMap(declared), Collections.unmodifiableMap(values));
  }

  /** Values for options given directly (tests, programmatic use); unset ones take their defaults. */
  public static OptionValues of(List<Option<?>> declarations, Map<String, String> raw) {
    return parse(declarations, raw, "these options");
  }

  /**
   * The value set for {@code option}, else the default of the option as declared for this load
   * (so reading a common option gives the backend's own default).
   *
   * @throws IllegalStateException if the option was not declared for this load, or is unset and has
   *     no fixed default (use {@link #optional} for those)
   */
  public <T> T get(Option<T> option) {
    return optional(option).orElseThrow(() -> new IllegalStateException(
        "option " + option.key() + " is unset and has no fixed default; read it with optional()"));
  }

  /** The value set for {@code option}, else its default, else empty. */
  public <T> Optional<T> optional(Option<T> option) {
    Option<?> d = requireDeclared(option);
    Object v = values.containsKey(d.key()) ? values.get(d.key()) : d.defaultValue().orElse(null);
    return Optional.ofNullable(v).map(option.type()::cast);
  }

  /** Whether the config string set {@code option} (a default does not count). */
  public boolean isSet(Option<?> option) {
    requireDeclared(option);
    return values.containsKey(option.key());
  }

  /** The declarations this load accepted, in declaration order. */
  public List<Option<?>> declared() {
    return List.copyOf(declared.values());
  }

  private Option<?> requireDeclared(Option<?> option) {
    Option<?> d = declared.get(option.key());
    if (d == null) {
      throw new IllegalStateException("option " + option.key() + " was not declared for this load");
    }
    return d;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    values.forEach((k, v) -> parts.add(k + "=" + (declared.get(k).isSecret() ? "****" : v)));
    return "OptionValues" + parts;
  }
}
