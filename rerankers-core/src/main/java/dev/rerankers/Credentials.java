package dev.rerankers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the library treats secrets (API keys, Hub tokens, passwords): which options hold one, the
 * one masked form that every message, log line and {@code toString()} shows instead of it, and
 * the check a secret passes before it is used.
 *
 * <ul>
 *   <li>A <b>credential option</b> is {@code apiKey}, {@code hfToken}, or any option whose name
 *       ends (ignoring case) in {@code key}, {@code token}, {@code secret}, {@code password},
 *       {@code passwd}, {@code credential(s)}, {@code signature} or {@code auth}.
 *   <li>The <b>masked form</b> of a secret is its first 4 characters (only when it has at least
 *       20) and its length: {@code pc-L…(38 chars)}; a shorter one shows only {@code …(12 chars)}.
 *   <li>The {@code url} option shows its user info masked and its credential query parameters
 *       masked: {@code https://…(9 chars)@proxy.example.com/rerank?key=…(12 chars)}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Credentials {
  private static final List<String> SUFFIXES =
      List.of("key", "token", "secret", "password", "passwd", "credential", "credentials", "signature", "auth");
  private static final int PREFIX = 4;
  private static final int PREFIX_MIN_LENGTH = 20;
  /** A part without {@code =} is quoted as it is only when it looks like an option name, not a secret. */
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z]{1,24}");
  private static final Pattern NAMED_IN_HEAD = Pattern.compile(
      "(?i)([A-Za-z0-9_.\\-]*(key|token|secret|password|passwd|credentials?|signature|auth))=([^&?#\\s]*)");
  private static final Pattern MASKED = Pattern.compile(".*\u2026\\(\\d+ chars?\\)");
  private static final String FIX =
      "a key or token is printable ASCII with no space at its ends; copy it again (copy-paste often adds a"
          + " line break or a no-break space)";

  private Credentials() {}

  /** Whether an option holds a secret, by its name. */
  public static boolean isCredentialOption(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    for (String s : SUFFIXES) {
      if (n.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The masked form of a secret: {@code pc-L…(38 chars)}; the prefix only for secrets of 20
   * characters or more, with anything but visible ASCII in it shown as {@code ?}.
   */
  public static String mask(String secret) {
    if (secret == null) {
      return "(none)";
    }
    int n = secret.length();
    StringBuilder sb = new StringBuilder();
    if (n >= PREFIX_MIN_LENGTH) {
      for (int i = 0; i < PREFIX; i++) {
        char c = secret.charAt(i);
        sb.append(c > 0x20 && c < 0x7f ? c : '?');
      }
    }
    return sb.append('\u2026').append('(').append(n).append(n == 1 ? " char)" : " chars)").toString();
  }

  /** An option's value as messages may show it: masked for a credential option and in a {@code url}. */
  public static String maskValue(String option, String value) {
    if (value == null) {
      return null;
    }
    if (isCredentialOption(option)) {
      return mask(value);
    }
    return RerankerSpec.URL.equals(option) ? maskUrl(value) : value;
  }

  /** Options as messages and {@code toString()} show them, each masked by {@link #maskValue}. */
  public static Map<String, String> maskOptions(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((k, v) -> out.put(k, maskValue(k, v)));
    return Collections.unmodifiableMap(out);
  }

  /**
   * A config string as messages show it: every credential option's value masked, user info and
   * credential query parameters of {@code url} masked, the rest as given. Works on malformed
   * strings too (stray {@code &}, options without {@code =}, bad {@code %} escapes).
   */
  public static String maskConfigString(String spec) {
    if (spec == null) {
      return null;
    }
    int q = spec.indexOf('?');
    String head = q < 0 ? spec : spec.substring(0, q);
    // "cohere:apiKey=..." or "cohere&apiKey=...": a credential typed where the model goes.
    head = NAMED_IN_HEAD.matcher(head).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + mask(m.group(3))));
    return q < 0 ? head : head + "?" + maskQuery(spec.substring(q + 1), true);
  }

  /**
   * A URL as messages show it: user info masked, the values of credential query parameters
   * masked ({@code key}, {@code api_key}, {@code access_token}, ...).
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = mask(authority.substring(0, at)) + authority.substring(at);
    }
    String rest = url.substring(end);
    int q = rest.indexOf('?');
    if (q >= 0) {
      int hash = rest.indexOf('#', q);
      String query = hash < 0 ? rest.substring(q + 1) : rest.substring(q + 1, hash);
      rest = rest.substring(0, q + 1) + maskQuery(query, false) + (hash < 0 ? "" : rest.substring(hash));
    }
    return url.substring(0, start) + authority + rest;
  }

  /**
   * Checks a secret before it is used in a header: not blank, printable ASCII only, no space at
   * its ends, not a masked placeholder copied from a message.
   *
   * @param name what the secret is, for the message (e.g. {@code apiKey} or {@code
   *     COHERE_API_KEY (environment variable)})
   * @return the value, unchanged
   * @throws ConfigException naming the problem and its position, showing only the masked form
   */
  public static String check(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(name + " must not be blank");
    }
    if (MASKED.matcher(value).matches()) {
      throw new ConfigException(
          name + " is a masked placeholder (" + mask(value) + "), as messages and toString() show secrets, not the"
              + " secret itself: give the real one");
    }
    int n = value.length();
    for (int i = 0; i < n; ) {
      int cp = value.codePointAt(i);
      if (cp < 0x20 || cp > 0x7e) {
        throw new ConfigException(
            name + " (" + mask(value) + ") contains " + describe(cp) + " at position " + (i + 1) + " of " + n
                + (i == 0 ? " (its start)" : i + Character.charCount(cp) == n ? " (its end)" : "") + ": " + FIX);
      }
      i += Character.charCount(cp);
    }
    if (value.charAt(0) == ' ' || value.charAt(n - 1) == ' ') {
      throw new ConfigException(
          name + " (" + mask(value) + ") " + (value.charAt(0) == ' ' ? "starts" : "ends") + " with a space: " + FIX);
    }
    return value;
  }

  private static String describe(int cp) {
    String code = String.format(Locale.ROOT, "U+%04X", cp);
    return switch (cp) {
      case '\n' -> "a line feed (\\n, " + code + ")";
      case '\r' -> "a carriage return (\\r, " + code + ")";
      case '\t' -> "a tab (" + code + ")";
      case 0xA0 -> "a no-break space (" + code + ")";
      case 0x200B -> "a zero-width space (" + code + ")";
      case 0xFEFF -> "a byte-order mark (" + code + ")";
      default -> cp < 0x20 || cp == 0x7f ? "a control character (" + code + ")" : "a non-ASCII character (" + code + ")";
    };
  }

  // ---- config-string parts -------------------------------------------------------------------

  /** One {@code key=value} part of a config string as messages show it (see {@link #maskConfigString}). */
  static String maskPart(String part) {
    if (part.isEmpty()) {
      return part;
    }
    int eq = part.indexOf('=');
    if (eq < 0) {
      // No '=': it may be a bare secret pasted without its name; quote only what looks like a name.
      return PLAIN_WORD.matcher(part).matches() ? part : mask(part);
    }
    String rawKey = part.substring(0, eq);
    String rawValue = part.substring(eq + 1);
    String key = decodeOrNull(rawKey);
    String value = decodeOrNull(rawValue);
    if (key == null || isCredentialOption(key) || isCredentialOption(rawKey)) {
      return rawKey + "=" + mask(value == null ? rawValue : value);
    }
    if (key.equals(RerankerSpec.URL)) {
      if (value != null) {
        return rawKey + "=" + maskUrl(value);
      }
      String lower = rawValue.toLowerCase(Locale.ROOT);
      boolean mayHoldSecret = lower.contains("@") || lower.contains("%40") || lower.contains("?") || lower.contains("%3f");
      return mayHoldSecret ? rawKey + "=" + mask(rawValue) : part;
    }
    return part;
  }

  private static String maskQuery(String query, boolean configString) {
    String[] parts = query.split("&", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('&');
      }
      if (configString) {
        sb.append(maskPart(parts[i]));
      } else {
        int eq = parts[i].indexOf('=');
        String name = eq < 0 ? parts[i] : parts[i].substring(0, eq);
        sb.append(eq >= 0 && isCredentialOption(name) ? name + "=" + mask(parts[i].substring(eq + 1)) : parts[i]);
      }
    }
    return sb.toString();
  }

  /** The URL-decoded text, or {@code null} when its {@code %} escapes are malformed. */
  static String decodeOrNull(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
