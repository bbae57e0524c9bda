package dev.rerankers;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses config strings {@code [type:]model[@revision][?key=value&...]} into builders, and reads
 * them from properties and environment variables.
 */
final class SpecParser {
  private static final Pattern TYPE_LIKE = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");

  private SpecParser() {}

  static Reranker.Builder parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new ConfigException(
          "config string is empty; expected [type:]model[?key=value&...], e.g. 'cross-encoder:BAAI/bge-reranker-base'");
    }
    String s = spec.strip();
    String shown = Credentials.maskConfigString(spec); // what messages quote: credentials masked
    int q = s.indexOf('?');
    String head = q < 0 ? s : s.substring(0, q);
    String query = q < 0 ? null : s.substring(q + 1);

    String type = null;
    String model = head;
    int colon = head.indexOf(':');
    if (colon == 0) {
      throw new ConfigException("no type before ':' in '" + shown + "'; expected TYPE:MODEL or just MODEL");
    }
    if (colon > 0 && !isExistingPath(head)) {
      String prefix = head.substring(0, colon);
      if (TYPE_LIKE.matcher(prefix).matches()) {
        if (!Loader.knownTypes().contains(prefix)) {
          throw new ConfigException(
              "unknown model type '"
                  + prefix
                  + "' in '"
                  + shown
                  + "'; known types: "
                  + String.join(", ", new TreeSet<>(Loader.knownTypes())));
        }
        type = prefix;
        model = head.substring(colon + 1);
      }
    }
    String revision = null;
    int at = model.lastIndexOf('@');
    if (at > 0 && !isExistingPath(model)) {
      revision = model.substring(at + 1);
      model = model.substring(0, at);
      if (revision.isEmpty()) {
        throw new ConfigException("empty revision after '@' in '" + shown + "'");
      }
    }
    if (model.isEmpty()) {
      if (type == null) {
        throw new ConfigException("no model in '" + shown + "'");
      }
      model = type; // "colbert:?lang=fr" means the colbert family's default
    }

    Reranker.Builder b = Reranker.builder(model);
    if (type != null) {
      b.type(type);
    }
    if (revision != null) {
      b.revision(revision);
    }
    if (query != null) {
      parseOptions(b, query, shown);
    }
    return b;
  }

  /** Parses the options; {@code shown} is the whole string with its credentials masked, for messages. */
  private static void parseOptions(Reranker.Builder b, String query, String shown) {
    if (query.isEmpty()) {
      throw new ConfigException("nothing after '?' in '" + shown + "'; expected key=value pairs");
    }
    Set<String> seen = new HashSet<>();
    for (String part : query.split("&", -1)) {
      int eq = part.indexOf('=');
      if (part.isEmpty()) {
        throw new ConfigException("empty option (a stray '&') in '" + shown + "'");
      }
      String partShown = Credentials.maskPart(part);
      if (eq <= 0) {
        throw new ConfigException(
            "option '" + partShown + "' in '" + shown + "' is not of the form key=value");
      }
      String key = decode(part.substring(0, eq), partShown);
      String value = decode(part.substring(eq + 1), partShown);
      if (!seen.add(key)) {
        throw new ConfigException("option '" + key + "' is given twice in '" + shown + "'");
      }
      try {
        SpecOptions.apply(b, key, value);
      } catch (ConfigException e) {
        throw new ConfigException("bad option '" + partShown + "' in config string: " + e.getMessage(), e);
      }
    }
  }

  private static String decode(String s, String partShown) {
    String decoded = Credentials.decodeOrNull(s);
    if (decoded == null) {
      // Not URLDecoder's message: it quotes the characters after the '%', which may be a secret's.
      throw new ConfigException(
          "option '" + partShown + "' is not URL-encoded correctly: a '%' must be followed by two hex digits"
              + " (write a literal '%' as %25)");
    }
    return decoded;
  }

  private static boolean isExistingPath(String s) {
    try {
      return Files.exists(Path.of(s));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  static Reranker.Builder fromProperties(Properties properties, String prefix) {
    if (properties == null) {
      throw new IllegalArgumentException("properties is null");
    }
    String specKey = prefix + ".spec";
    String spec = properties.getProperty(specKey);
    if (spec == null || spec.isBlank()) {
      throw new ConfigException(
          "property '" + specKey + "' is not set; set it to a config string such as 'cross-encoder:BAAI/bge-reranker-base'");
    }
    Reranker.Builder b = parse(spec);
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      if (!name.startsWith(prefix + ".") || name.equals(specKey)) {
        continue;
      }
      String key = name.substring(prefix.length() + 1);
      String value = properties.getProperty(name);
      try {
        if (key.equals("type")) {
          b.type(value);
        } else {
          SpecOptions.apply(b, key, value);
        }
      } catch (ConfigException e) {
        throw new ConfigException("bad property '" + name + "': " + e.getMessage(), e);
      }
    }
    return b;
  }

  static Reranker.Builder fromEnvironment(String variable, Function<String, String> env) {
    if (variable == null || variable.isBlank()) {
      throw new IllegalArgumentException("variable is blank");
    }
    String spec = env.apply(variable);
    if (spec == null || spec.isBlank()) {
      throw new ConfigException(
          "environment variable "
              + variable
              + " is not set; set it to a config string such as 'cross-encoder:BAAI/bge-reranker-base'");
    }
    try {
      return parse(spec);
    } catch (ConfigException e) {
      throw new ConfigException("environment variable " + variable + ": " + e.getMessage(), e);
    }
  }
}
