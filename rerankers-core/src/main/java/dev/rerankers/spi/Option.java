package dev.rerankers.spi;

import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One option a backend accepts, declared once: its config-string key, value type, default, allowed
 * range, one line of documentation, and whether it is a secret. Backends publish their options
 * from {@link RerankerProvider#options(String)}; core parses and checks every value against its
 * declaration before the backend sees it, and hands the backend an {@link OptionValues}. The same
 * declarations feed {@code rerankers models --options TYPE} and the option tables in docs/.
 *
 * <pre>{@code
 * static final Option<Integer> CACHE_MB = Option.integer("cacheMb",
 *         "document-vector cache budget in MiB; 0 disables the cache")
 *     .atLeast(0).defaultValue(256);
 * }</pre>
 *
 * <p>Immutable: the refining methods ({@link #defaultValue}, {@link #atLeast}, ...) return copies,
 * so a backend can take a common option and give it its own default: {@code
 * CommonOptions.BATCH_SIZE.defaultValue(32)}. Two options are equal when their keys are.
 *
 * @param <T> the parsed value's type
 */
public final class Option<T> {
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

  /** The kinds of value an option holds, as shown in documentation. */
  public enum Kind {
    /** A whole number. */
    INTEGER,
    /** A decimal number. */
    NUMBER,
    /** {@code true/false} (also {@code yes/no}, {@code 1/0}, {@code on/off}). */
    BOOLEAN,
    /** Free text. */
    TEXT,
    /** One of a fixed set of words. */
    CHOICE
  }

  private final String key;
  private final Kind kind;
  private final Class<T> type;
  private final Function<String, T> parser;
  private final String doc;
  private final T defaultValue;
  private final String defaultText;
  private final Double min;
  private final Double max;
  private final List<String> choices;
  private final boolean secret;

  private Option(
      String key,
      Kind kind,
      Class<T> type,
      Function<String, T> parser,
      String doc,
      T defaultValue,
      String defaultText,
      Double min,
      Double max,
      List<String> choices,
      boolean secret) {
    this.key = key;
    this.kind = kind;
    this.type = type;
    this.parser = parser;
    this.doc = doc;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.min = min;
    this.max = max;
    this.choices = choices;
    this.secret = secret;
  }

  private static <T> Option<T> declare(String key, Kind kind, Class<T> type, Function<String, T> parser, String doc) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("option key '" + key + "' is not a valid name");
    }
    Objects.requireNonNull(doc, "doc");
    return new Option<>(key, kind, type, parser, doc, null, null, null, null, List.of(), isSecretKey(key));
  }

  /** A whole-number option, without default until {@link #defaultValue} gives one. */
  public static Option<Integer> integer(String key, String doc) {
    return declare(key, Kind.INTEGER, Integer.class, null, doc);
  }

  /** A decimal option. */
  public static Option<Double> number(String key, String doc) {
    return declare(key, Kind.NUMBER, Double.class, null, doc);
  }

  /** A boolean option. */
  public static Option<Boolean> bool(String key, String doc) {
    return declare(key, Kind.BOOLEAN, Boolean.class, null, doc);
  }

  /** A free-text option (surrounding white space is kept: tokens and templates may need it). */
  public static Option<String> text(String key, String doc) {
    return declare(key, Kind.TEXT, String.class, null, doc);
  }

  /**
   * One of {@code choices} (compared ignoring case; the value is the choice as declared).
   */
  public static Option<String> choice(String key, String doc, String... choices) {
    if (choices.length == 0) {
      throw new IllegalArgumentException("a choice option needs choices");
    }
    Option<String> o = declare(key, Kind.CHOICE, String.class, null, doc);
    return new Option<>(o.key, o.kind, o.type, o.parser, o.doc, null, null, null, null, List.of(choices), o.secret);
  }

  /**
   * A text option with its own parser (e.g. one that normalises {@code cuda} to {@code gpu}). The
   * parser throws {@link ConfigException} or {@link IllegalArgumentException} with a message that
   * says what is allowed.
   */
  public static <T> Option<T> text(String key, Class<T> type, Function<String, T> parser, String doc) {
    return declare(key, Kind.TEXT, type, Objects.requireNonNull(parser, "parser"), doc);
  }

  /**
   * Whether a key names a credential ({@link Credentials#isCredentialOption}). Such values are
   * never shown in messages, logs or {@code toString()}.
   */
  public static boolean isSecretKey(String key) {
    return Credentials.isCredentialOption(key);
  }

  /** This option with a default used when the config string does not set it. */
  public Option<T> defaultValue(T value) {
    Objects.requireNonNull(value, "value");
    check(value);
    return new Option<>(key, kind, type, parser, doc, value, null, min, max, choices, secret);
  }

  /**
   * This option with no fixed default but a described one, for defaults the backend computes at
   * load (e.g. {@code "the model's model_max_length"}).
   */
  public Option<T> defaultDescribed(String description) {
    Objects.requireNonNull(description, "description");
    return new Option<>(key, kind, type, parser, doc, null, description, min, max, choices, secret);
  }

  /** This option with a lower bound (numbers only). */
  public Option<T> atLeast(double lowest) {
    requireNumeric();
    return new Option<>(key, kind, type, parser, doc, defaultValue, defaultText, lowest, max, choices, secret);
  }

  /** This option with an upper bound (numbers only). */
  public Option<T> atMost(double highest) {
    requireNumeric();
    return new Option<>(key, kind, type, parser, doc, defaultValue, defaultText, min, highest, choices, secret);
  }

  /** This option with another documentation line. */
  public Option<T> doc(String newDoc) {
    return new Option<>(key, kind, type, parser, Objects.requireNonNull(newDoc, "doc"), defaultValue, defaultText, min, max, choices, secret);
  }

  /** This option marked secret (masked everywhere), whatever its key. */
  public Option<T> secret() {
    return new Option<>(key, kind, type, parser, doc, defaultValue, defaultText, min, max, choices, true);
  }

  /** The config-string key. */
  public String key() {
    return key;
  }

  /** The kind of value. */
  public Kind kind() {
    return kind;
  }

  /** The parsed value's class. */
  public Class<T> type() {
    return type;
  }

  /** One line of documentation. */
  public String doc() {
    return doc;
  }

  /** The default, when one is fixed. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Whether the value is a credential, masked everywhere. */
  public boolean isSecret() {
    return secret;
  }

  /** The allowed words of a {@link Kind#CHOICE} option, else empty. */
  public List<String> choices() {
    return choices;
  }

  /** The default as documentation shows it: the value, a description, or {@code "none"}. */
  public String describeDefault() {
    if (defaultValue != null) {
      return String.valueOf(defaultValue);
    }
    return defaultText != null ? defaultText : "none";
  }

  /** What values are allowed, in words: {@code ">= 1"}, {@code "auto | safetensors"}, {@code "true | false"}. */
  public String describeAllowed() {
    switch (kind) {
      case CHOICE:
        return String.join(" | ", choices);
      case BOOLEAN:
        return "true | false";
      case INTEGER:
      case NUMBER:
        String what = kind == Kind.INTEGER ? "integer" : "number";
        if (min != null && max != null) {
          return what + " " + num(min) + ".." + num(max);
        }
        if (min != null) {
          return what + " >= " + num(min);
        }
        if (max != null) {
          return what + " <= " + num(max);
        }
        return what;
      default:
        return secret ? "text (secret)" : "text";
    }
  }

  /**
   * Parses and checks a value as given in a config string.
   *
   * @throws ConfigException naming the key, what was found (masked for secrets) and what is allowed
   */
  public T parse(String raw) {
    if (raw == null) {
      throw new ConfigException("option " + key + " has no value");
    }
    T value;
    try {
      value = convert(raw);
    } catch (ConfigException e) {
      throw secret ? new ConfigException("option " + key + " is invalid (value hidden: it is a secret)") : e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("option " + key + ": " + (secret ? "invalid value (hidden: it is a secret)" : e.getMessage()), e);
    }
    check(value);
    return value;
  }

  private T convert(String raw) {
    String s = raw.strip();
    switch (kind) {
      case INTEGER:
        try {
          return type.cast(Integer.valueOf(Integer.parseInt(s)));
        } catch (NumberFormatException e) {
          throw new ConfigException("option " + key + " must be an integer" + bounds() + ", got " + shown(raw));
        }
      case NUMBER:
        try {
          double d = Double.parseDouble(s);
          if (!Double.isFinite(d)) {
            throw new NumberFormatException();
          }
          return type.cast(Double.valueOf(d));
        } catch (NumberFormatException e) {
          throw new ConfigException("option " + key + " must be a number" + bounds() + ", got " + shown(raw));
        }
      case BOOLEAN:
        switch (s.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "1", "on":
            return type.cast(Boolean.TRUE);
          case "false", "no", "0", "off":
            return type.cast(Boolean.FALSE);
          default:
            throw new ConfigException("option " + key + " must be true or false, got " + shown(raw));
        }
      case CHOICE:
        for (String c : choices) {
          if (c.equalsIgnoreCase(s)) {
            return type.cast(c);
          }
        }
        throw new ConfigException("option " + key + " must be one of " + String.join(", ", choices) + ", got " + shown(raw));
      default:
        if (parser != null) {
          return parser.apply(raw);
        }
        return type.cast(raw);
    }
  }

  private void check(T value) {
    if ((min != null || max != null) && value instanceof Number n) {
      double d = n.doubleValue();
      if (min != null && d < min || max != null && d > max) {
        throw new ConfigException("option " + key + " must be " + describeAllowed() + ", got " + value);
      }
    }
  }

  private String bounds() {
    String allowed = describeAllowed();
    int space = allowed.indexOf(' ');
    return space < 0 ? "" : " (" + allowed.substring(space + 1) + ")";
  }

  private String shown(String raw) {
    return secret ? "a value (hidden: it is a secret)" : "'" + raw + "'";
  }

  private void requireNumeric() {
    if (kind != Kind.INTEGER && kind != Kind.NUMBER) {
      throw new IllegalStateException("bounds apply to number options; " + key + " is " + kind);
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Option<?> other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "Option[" + key + ": " + describeAllowed() + ", default " + describeDefault() + "]";
  }
}
