package dev.rerankers.api.internal;

/**
 * An API key. Its {@link #toString()} is masked, and {@link #redact} removes it from any text
 * (provider error messages sometimes echo the key) before that text reaches a message or a log.
 */
final class Secret {
  private static final String MASK = "********";
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret, or {@code null} for a blank or absent key. */
  static Secret ofNullable(String value) {
    return value == null || value.isBlank() ? null : new Secret(value.strip());
  }

  String value() {
    return value;
  }

  /** The text with every occurrence of the key (and of its last 8+ characters) masked. */
  static String redact(String text, Secret secret) {
    if (text == null || secret == null) {
      return text;
    }
    String out = text.replace(secret.value, MASK);
    // Providers often echo a key's tail ("...a1b2c3d4"); mask any 8-character tail too.
    if (secret.value.length() >= 16) {
      out = out.replace(secret.value.substring(secret.value.length() - 8), MASK);
    }
    return out;
  }

  @Override
  public String toString() {
    return MASK;
  }
}
