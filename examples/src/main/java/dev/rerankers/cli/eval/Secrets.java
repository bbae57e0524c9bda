package dev.rerankers.cli.eval;

import java.util.regex.Pattern;

/** Masks secrets in config strings before they are shown or written to a report. */
public final class Secrets {
  private static final Pattern SECRET = Pattern.compile("([?&](?:apiKey|hfToken)=)[^&]*");

  private Secrets() {}

  /** The config string with the values of {@code apiKey} and {@code hfToken} replaced by asterisks. */
  public static String mask(String spec) {
    return spec == null ? null : SECRET.matcher(spec).replaceAll("$1********");
  }
}
