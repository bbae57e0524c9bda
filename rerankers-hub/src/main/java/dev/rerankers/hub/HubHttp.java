package dev.rerankers.hub;

import dev.rerankers.Credentials;
import dev.rerankers.ModelLoadException;
import dev.rerankers.json.Json;
import dev.rerankers.spi.Backoff;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The HTTP exchanges with the Hub: bearer token only to the endpoint's own origin, redirects
 * followed by hand (never from https to http, to plain http on another server only with {@code
 * allowInsecure} or on loopback), every wait bounded by the read timeout, the caller's deadline
 * and the stall floor; error bodies read briefly and cleaned of the token. Immutable and
 * thread-safe.
 */
final class HubHttp {
  private static final int MAX_REDIRECTS = 10;
  private static final int ERROR_BODY_BYTES = 4096;

  private final HttpClient client;
  private final URI endpoint;
  private final String token;
  private final String maskedToken; // what messages show instead of the token: Credentials.mask
  private final Duration timeout;
  private final String userAgent;
  private final boolean allowInsecure;
  private final ChunkStream.Pace pace;

  HubHttp(
      HttpClient client,
      URI endpoint,
      String token,
      Duration timeout,
      String userAgent,
      boolean allowInsecure,
      ChunkStream.Pace pace) {
    this.client = Objects.requireNonNull(client, "client");
    this.endpoint = endpoint;
    this.token = token;
    this.maskedToken = token == null ? null : Credentials.mask(token);
    this.timeout = timeout;
    this.userAgent = userAgent;
    this.allowInsecure = allowInsecure;
    this.pace = pace;
  }

  URI endpoint() {
    return endpoint;
  }

  boolean hasToken() {
    return token != null;
  }

  Duration timeout() {
    return timeout;
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
      return parseLong(firstHeader(name));
    }

    /** A numeric header of the final response. */
    OptionalLong longHeader(String name) {
      return parseLong(header(name));
    }

    private static OptionalLong parseLong(Optional<String> v) {
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
   * Sends a request and follows 3xx answers (see {@link #checkRedirect}); with {@code
   * stopAtLinked}, a 3xx answer carrying {@code X-Linked-Etag} (the Hub's answer for an LFS file,
   * pointing to its CDN) is returned as is, as a HEAD request needs.
   *
   * @throws HttpStatusException for a 4xx or 5xx answer
   * @throws HubRedirectException for a refused redirect, a loop, or a missing {@code Location}
   * @throws HubErrors.DeadlineExceeded when the deadline passes first
   * @throws IOException for connection failures and timeouts
   */
  Response send(String method, URI uri, Map<String, String> headers, boolean stopAtLinked, Deadline deadline)
      throws IOException, InterruptedException {
    URI current = uri;
    HttpHeaders first = null;
    for (int hop = 0; ; hop++) {
      deadline.check();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(current)
              .timeout(deadline.cap(timeout))
              .method(method, HttpRequest.BodyPublishers.noBody());
      b.header("User-Agent", userAgent);
      headers.forEach(b::header);
      if (token != null && sameOrigin(current, endpoint)) {
        b.header("Authorization", "Bearer " + token);
      }
      ChunkStream body = new ChunkStream(timeout, deadline, pace);
      HttpResponse<ChunkStream> resp;
      try {
        resp = client.send(b.build(), info -> body);
      } catch (HttpTimeoutException e) {
        if (deadline.passed()) {
          throw deadline.exceeded();
        }
        throw e;
      }
      if (first == null) {
        first = resp.headers();
      }
      int status = resp.statusCode();
      if (isRedirect(status) && !(stopAtLinked && resp.headers().firstValue("X-Linked-Etag").isPresent())) {
        body.cancel();
        String location = resp.headers().firstValue("Location").orElse(null);
        if (location == null) {
          throw new HubRedirectException(
              show(current), "(none)", "HTTP " + status + " redirect without a Location from " + show(current) + "; refusing it");
        }
        URI next = resolve(current, location);
        checkRedirect(current, next);
        if (hop >= MAX_REDIRECTS) {
          throw new HubRedirectException(
              show(uri),
              show(next),
              "more than "
                  + MAX_REDIRECTS
                  + " redirects from "
                  + show(uri)
                  + " (the last to "
                  + show(next)
                  + "): a redirect loop on the server; not retried");
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
  Object getJson(URI uri, int max, Deadline deadline) throws IOException, InterruptedException {
    try (Response r = send("GET", uri, Map.of("Accept", "application/json"), false, deadline)) {
      OptionalLong length = r.longHeader("Content-Length");
      if (length.isPresent() && length.getAsLong() > max) {
        throw new HubErrors.Permanent(
            "the answer of " + show(r.uri()) + " is " + length.getAsLong() + " bytes, more than the " + max + " bytes accepted");
      }
      byte[] bytes = r.body().readAll(max);
      try {
        return Json.parse(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(
            "the Hub at " + endpoint + " sent an unreadable answer for " + show(uri) + ": " + clean(e.getMessage(), 300), e);
      }
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private URI resolve(URI base, String location) throws HubRedirectException {
    try {
      return base.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new HubRedirectException(
          show(base), clean(location, 200), "unreadable redirect Location from " + show(base) + "; refusing it");
    }
  }

  /**
   * Redirects go to https, or to plain http on the very origin they come from (plain-http mirrors
   * and test servers), on loopback, or anywhere with {@code allowInsecure}; never from https down
   * to http, and never to anything but http(s). The token follows only to the endpoint's origin
   * (see {@link #send}).
   */
  private void checkRedirect(URI from, URI to) {
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    String reason = null;
    if (!(scheme.equals("http") || scheme.equals("https")) || to.getHost() == null) {
      reason = "it is not an http(s) address";
    } else if (to.getRawUserInfo() != null) {
      reason = "it carries user credentials";
    } else if (scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme())) {
      reason = "a downgrade from https to plain http is never followed";
    } else if (scheme.equals("http") && !sameOrigin(from, to) && !allowInsecure && !isLoopback(to.getHost())) {
      reason =
          "plain http to another server is followed only with allowInsecure=true (spec option),"
              + " HubClient.Builder.allowInsecure(true) or HF_HUB_ALLOW_INSECURE=1";
    }
    if (reason != null) {
      throw new HubRedirectException(
          show(from),
          show(to),
          "refusing a redirect from "
              + show(from)
              + " to "
              + show(to)
              + ": "
              + reason
              + ". Downloads follow redirects to https addresses (or within the same server);"
              + " the token is only ever sent to "
              + origin(endpoint)
              + ".");
    }
  }

  /**
   * Whether the host is a loopback name or address: {@code localhost} (and {@code *.localhost}),
   * 127.0.0.0/8, {@code ::1}. Decided from the text alone, without a name lookup.
   */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.matches("127(\\.\\d{1,3}){3}")) {
      return true;
    }
    return h.matches("(0{0,4}:){2,7}0{0,3}1") || h.equals("::1");
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
    // seconds or an HTTP date; unreadable: the back-off applies
    Duration retryAfter = Backoff.retryAfter(h.firstValue("retry-after-ms").orElse(null), h.firstValue("Retry-After").orElse(null), Instant.now());
    return new HttpStatusException(status, uri, show(uri), clean(code, 100), clean(message, 300), retryAfter);
  }

  /** Server text made safe for a message: one line, printable, shortened, the token masked. */
  String clean(String text, int max) {
    if (text == null) {
      return null;
    }
    String t = mask(text.replaceAll("\\s+", " ").strip());
    t = RepoPaths.printable(t);
    if (t.length() > max) {
      t = t.substring(0, max) + "...";
    }
    return t.isEmpty() ? null : t;
  }

  /** The text with the token (as is, or percent-encoded) replaced by its masked form ({@link Credentials#mask}). */
  String mask(String text) {
    if (token == null || text == null) {
      return text;
    }
    return text.replace(token, maskedToken).replace(URLEncoder.encode(token, StandardCharsets.UTF_8), maskedToken);
  }

  /** An address for messages and logs: no user info, query string (CDN URLs carry signatures) or fragment; token masked. */
  String show(URI uri) {
    return mask(withoutQuery(uri));
  }

  /** The address without user info, query string or fragment. */
  static String withoutQuery(URI uri) {
    if (uri == null) {
      return "?";
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      String s = uri.toString();
      int q = s.indexOf('?');
      int f = s.indexOf('#');
      int cut = q < 0 ? f : (f < 0 ? q : Math.min(q, f));
      return cut < 0 ? s : s.substring(0, cut);
    }
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    return uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** {@code scheme://host[:port]}, for messages. */
  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
