package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.internal.Json;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The HTTP exchanges with the Hub: bearer token only to the endpoint's own origin, redirects
 * followed by hand and only to https (or within the same origin), error bodies read briefly and
 * cleaned of the token. Immutable and thread-safe.
 */
final class HubHttp {
  private static final int MAX_REDIRECTS = 10;
  private static final int ERROR_BODY_BYTES = 4096;

  private final HttpClient client;
  private final URI endpoint;
  private final String token;
  private final Duration timeout;
  private final String userAgent;

  HubHttp(HttpClient client, URI endpoint, String token, Duration timeout, String userAgent) {
    this.client = Objects.requireNonNull(client, "client");
    this.endpoint = endpoint;
    this.token = token;
    this.timeout = timeout;
    this.userAgent = userAgent;
  }

  URI endpoint() {
    return endpoint;
  }

  boolean hasToken() {
    return token != null;
  }

  /** A response whose status is below 400, its body not yet read. Close it when done. */
  static final class Response implements Closeable {
    private final int status;
    private final URI uri;
    private final HttpHeaders headers;
    private final HttpHeaders firstHeaders;
    private final ChunkStream body;

    Response(int status, URI uri, HttpHeaders headers, HttpHeaders firstHeaders, ChunkStream body) {
      this.status = status;
      this.uri = uri;
      this.headers = headers;
      this.firstHeaders = firstHeaders;
      this.body = body;
    }

    int status() {
      return status;
    }

    /** Where the response finally came from, after redirects. */
    URI uri() {
      return uri;
    }

    /** A header of the final response. */
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** A header of the first response (the Hub's, before any redirect to a CDN). */
    Optional<String> firstHeader(String name) {
      return firstHeaders.firstValue(name);
    }

    /** A numeric header of the first response. */
    OptionalLong firstLong(String name) {
      Optional<String> v = firstHeader(name);
      if (v.isEmpty()) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(v.get().strip()));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }

    ChunkStream body() {
      return body;
    }

    @Override
    public void close() {
      body.cancel();
    }
  }

  /**
   * Sends a request. With {@code followRedirects}, 3xx answers are followed (only to https, or
   * within the same origin); without, a 3xx answer is returned as is.
   *
   * @throws HttpStatusException for a 4xx or 5xx answer
   * @throws ModelLoadException for a refused redirect
   * @throws IOException for connection failures and timeouts
   */
  Response send(String method, URI uri, Map<String, String> headers, boolean followRedirects)
      throws IOException, InterruptedException {
    URI current = uri;
    HttpHeaders first = null;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(current).timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody());
      b.header("User-Agent", userAgent);
      headers.forEach(b::header);
      if (token != null && sameOrigin(current, endpoint)) {
        b.header("Authorization", "Bearer " + token);
      }
      ChunkStream body = new ChunkStream(timeout);
      HttpResponse<ChunkStream> resp = client.send(b.build(), info -> body);
      if (first == null) {
        first = resp.headers();
      }
      int status = resp.statusCode();
      if (followRedirects && isRedirect(status)) {
        body.cancel();
        String location = resp.headers().firstValue("Location").orElse(null);
        if (location == null) {
          throw new IOException("HTTP " + status + " redirect without a Location from " + withoutQuery(current));
        }
        URI next = resolve(current, location);
        checkRedirect(current, next);
        if (hop >= MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + withoutQuery(uri));
        }
        current = next;
        continue;
      }
      if (status >= 400) {
        throw statusException(status, current, resp.headers(), body);
      }
      return new Response(status, current, resp.headers(), first, body);
    }
  }

  /** A GET of a small JSON document (at most {@code max} bytes), parsed. */
  Object getJson(URI uri, int max) throws IOException, InterruptedException {
    try (Response r = send("GET", uri, Map.of("Accept", "application/json"), true)) {
      byte[] bytes = r.body().readAll(max);
      try {
        return Json.parse(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(
            "the Hub at " + endpoint + " sent an unreadable answer for " + withoutQuery(uri) + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI resolve(URI base, String location) throws IOException {
    try {
      return base.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("unreadable redirect Location from " + withoutQuery(base), e);
    }
  }

  /** Redirects go to https, or stay on the very origin they come from (plain-http test servers and mirrors). */
  private static void checkRedirect(URI from, URI to) {
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    if (to.getHost() == null || !(scheme.equals("https") || sameOrigin(from, to))) {
      throw new ModelLoadException(
          "refusing a redirect from "
              + withoutQuery(from)
              + " to "
              + withoutQuery(to)
              + ": downloads follow redirects only to https addresses or within the same server");
    }
  }

  /** Same scheme, host and port. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private HttpStatusException statusException(int status, URI uri, HttpHeaders h, ChunkStream body) {
    String code = h.firstValue("X-Error-Code").orElse(null);
    String message = h.firstValue("X-Error-Message").orElse(null);
    byte[] prefix = body.readPrefix(ERROR_BODY_BYTES);
    if (message == null && prefix.length > 0) {
      String text = new String(prefix, StandardCharsets.UTF_8);
      message = text;
      try {
        Object json = Json.parse(text);
        if (json instanceof Map && ((Map<?, ?>) json).get("error") instanceof String) {
          message = (String) ((Map<?, ?>) json).get("error");
        }
      } catch (IllegalArgumentException e) {
        // not JSON: keep the text
      }
    }
    Duration retryAfter = null;
    Optional<String> ra = h.firstValue("Retry-After");
    if (ra.isPresent()) {
      try {
        retryAfter = Duration.ofSeconds(Math.max(0, Long.parseLong(ra.get().strip())));
      } catch (NumberFormatException e) {
        // an HTTP date: ignore, the default back-off applies
      }
    }
    return new HttpStatusException(status, uri, clean(code, 100), clean(message, 300), retryAfter);
  }

  /** Server text made safe for a message: one line, printable, shortened, the token masked. */
  String clean(String text, int max) {
    if (text == null) {
      return null;
    }
    String t = text.replaceAll("\\s+", " ").strip();
    if (token != null) {
      t = t.replace(token, "********");
    }
    t = RepoPaths.printable(t);
    if (t.length() > max) {
      t = t.substring(0, max) + "...";
    }
    return t.isEmpty() ? null : t;
  }

  /** The address without its query string (CDN URLs carry signatures) for messages and logs. */
  static String withoutQuery(URI uri) {
    if (uri == null) {
      return "?";
    }
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
