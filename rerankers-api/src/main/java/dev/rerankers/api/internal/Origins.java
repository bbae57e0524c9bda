package dev.rerankers.api.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import okhttp3.HttpUrl;

/**
 * Origins (scheme, host and port) as the transport rules use them: a key and documents go only to
 * the origin of the configured url, and a key goes over plain http only to a loopback host unless
 * the user allows it.
 */
final class Origins {
  private Origins() {}

  /** {@code https://api.cohere.com:443}: the port always shown, IPv6 hosts in brackets. */
  static String of(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port();
  }

  static boolean same(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  /**
   * Whether the host is this machine: {@code localhost}, an address in 127.0.0.0/8 or {@code ::1}.
   * Names other than {@code localhost} are not resolved (no DNS lookup decides what is safe).
   */
  static boolean isLoopback(HttpUrl url) {
    String host = url.host();
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal = host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
