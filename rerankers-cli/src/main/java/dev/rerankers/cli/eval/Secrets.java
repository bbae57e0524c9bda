package dev.rerankers.cli.eval;

import dev.rerankers.Credentials;

/** Masks secrets in config strings before they are shown or written to a report. */
public final class Secrets {
  private Secrets() {}

  /**
   * The config string with every credential option masked ({@code apiKey}, {@code hfToken} and
   * any option named like a key, token, secret or password): core's {@link
   * Credentials#maskConfigString}, the library's one masking rule.
   */
  public static String mask(String spec) {
    return Credentials.maskConfigString(spec);
  }
}
