package dev.rerankers.api.internal;

import dev.rerankers.Credentials;

/**
 * An API key, checked before it is used (core's {@link Credentials#check}: printable ASCII, no
 * space at its ends), so that no header library ever gets to quote it. Its {@link #toString()} is
 * the masked form ({@code pc-L…(38 chars)}), and {@link #redact} removes it from any text
 * (provider error messages sometimes echo the key) before that text reaches a message or a log.
 */
final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * A key given as an option.
   *
   * @param name the option, for messages
   * @throws dev.rerankers.ConfigException when it cannot be sent as it is, showing only its masked form
   */
  static Secret of(String name, String value) {
    return new Secret(Credentials.check(name, value));
  }

  /** A key core has already checked ({@link Credentials#check}, the apiKey option's parser). */
  static Secret checked(String value) {
    return new Secret(value);
  }

  /**
   * A key read from an environment variable: {@code null} when the variable is unset or blank,
   * else checked like an option.
   */
  static Secret fromEnvironment(String variable, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return of("the " + variable + " environment variable", value);
  }

  String value() {
    return value;
  }

  /** The text with every occurrence of the key (and of its last 8+ characters) masked. */
  static String redact(String text, Secret secret) {
    if (text == null || secret == null) {
      return text;
    }
    String masked = Credentials.mask(secret.value);
    String out = text.replace(secret.value, masked);
    // Providers often echo a key's tail ("...a1b2c3d4"); mask any 8-character tail too.
    if (secret.value.length() >= 16) {
      out = out.replace(secret.value.substring(secret.value.length() - 8), masked);
    }
    return out;
  }

  @Override
  public String toString() {
    return Credentials.mask(value);
  }
}
