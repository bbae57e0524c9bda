package dev.rerankers.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accepted API keys, kept only as SHA-256 digests. A presented key is hashed and compared with
 * every accepted digest with {@link MessageDigest#isEqual} (constant time, and all digests are
 * checked), so neither the key's length nor how much of it matched shows in the response time.
 * Keys never appear in logs or messages.
 */
final class ApiKeys {
  private final List<byte[]> digests = new ArrayList<>();

  ApiKeys(List<String> keys) {
    for (String k : keys) {
      digests.add(sha256(k));
    }
  }

  boolean required() {
    return !digests.isEmpty();
  }

  /** Whether an {@code Authorization} header carries an accepted Bearer key. */
  boolean accepts(String authorization) {
    if (!required()) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    String h = authorization.strip();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return false;
    }
    byte[] presented = sha256(h.substring(7).strip());
    boolean ok = false;
    for (byte[] d : digests) {
      ok |= MessageDigest.isEqual(d, presented);
    }
    return ok;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " keys]";
  }
}
