package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;

/**
 * The Hub (or a server it redirected to) answered with a redirect the client will not follow: a
 * downgrade from https to plain http, plain http to another server without {@code
 * allowInsecure}, an address that is not http(s), a missing or unreadable {@code Location}, or a
 * loop. Nothing is retried. The addresses are shown without their query string (signed CDN
 * URLs) and with the token masked.
 */
public final class HubRedirectException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  private final String from;
  private final String to;

  HubRedirectException(String from, String to, String message) {
    super(message);
    this.from = from;
    this.to = to;
  }

  /** The address that answered with the redirect (no query string, token masked). */
  public String from() {
    return from;
  }

  /** The address it pointed to (no query string, token masked), or {@code "(none)"}. */
  public String to() {
    return to;
  }
}
