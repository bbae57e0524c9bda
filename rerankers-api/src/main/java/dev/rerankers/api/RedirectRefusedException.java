package dev.rerankers.api;

import dev.rerankers.ApiException;
import java.util.Optional;

/**
 * The endpoint answered with a redirect that was not followed: to another origin (another host,
 * another port, or https to http), a 301/302/303 (which would turn the POST into a GET), a loop,
 * or too many hops. Nothing was sent to the redirect's target, so neither the API key nor the
 * documents left the configured origin.
 *
 * <p>Not retriable: the same request gets the same redirect. The message names both origins and
 * says what to do (usually: set {@code url} to the new address, if the move is genuine); it never
 * contains the key, a query string or user info.
 */
public class RedirectRefusedException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final String fromOrigin;
  private final String toOrigin;

  /**
   * @param provider the provider, e.g. {@code "cohere"}
   * @param statusCode the redirect's HTTP status
   * @param message what was refused and how to fix it
   * @param fromOrigin the configured origin, e.g. {@code https://api.cohere.com:443}, or {@code null}
   * @param toOrigin the redirect's origin, or {@code null} when its Location is not an http(s) URL
   * @param cause the underlying failure, or {@code null}
   */
  public RedirectRefusedException(
      String provider, int statusCode, String message, String fromOrigin, String toOrigin, Throwable cause) {
    super(provider, statusCode, false, message, cause);
    this.fromOrigin = fromOrigin;
    this.toOrigin = toOrigin;
  }

  /** The configured origin ({@code scheme://host:port}). */
  public Optional<String> fromOrigin() {
    return Optional.ofNullable(fromOrigin);
  }

  /** The origin the redirect pointed at ({@code scheme://host:port}). */
  public Optional<String> toOrigin() {
    return Optional.ofNullable(toOrigin);
  }
}
