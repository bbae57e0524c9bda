package dev.rerankers.api.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one redirect rule of every API ranker, as an okhttp application interceptor (okhttp's own
 * following is switched off): a 307 or 308 to the <em>same origin</em> (scheme, host and port) is
 * followed with the same method, body and headers, key included, at most {@value #MAX_REDIRECTS}
 * times and never in a loop; everything else is refused before anything is sent: another origin
 * (another host, another port, https to http), and a 301, 302 or 303 (clients turn those into a
 * GET without the body, which would silently change the request). A refusal is thrown as {@link
 * Refused}, which the engine reports as a {@code RedirectRefusedException} and never retries.
 *
 * <p>Why follow same-origin 307/308 at all: the request goes back to the server the user
 * configured, over the same scheme, so the key meets no one new, and some servers redirect a path
 * to its canonical form (FastAPI's trailing slash). Stateless.
 */
final class RedirectPolicy implements Interceptor {
  static final int MAX_REDIRECTS = 5;

  /** A redirect that was not followed; the message names both ends, never a query or user info. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String from;
    final String to;

    Refused(int status, String from, String to, String message) {
      super(message);
      this.status = status;
      this.from = from;
      this.to = to;
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl configured = request.url();
    Set<HttpUrl> visited = new HashSet<>();
    visited.add(configured);
    int followed = 0;
    while (true) {
      Response response = chain.proceed(request);
      int code = response.code();
      String location = response.header("Location");
      if (!isRedirect(code) || location == null) {
        return response; // a 3xx without Location is judged as a malformed answer
      }
      response.close();
      String from = Origins.of(configured);
      HttpUrl target = request.url().resolve(location);
      if (target == null) {
        throw new Refused(code, from, null,
            "redirect refused: the Location is not an http(s) URL; the key and the documents are sent only to "
                + from);
      }
      String to = Origins.of(target);
      String shown = HttpEngine.endpointKey(target);
      if (!Origins.same(configured, target)) {
        boolean downgrade = configured.isHttps() && !target.isHttps();
        throw new Refused(code, from, to,
            "redirect to " + shown + " refused: it leaves the configured origin " + from + " for " + to
                + (downgrade ? " (a downgrade from https to http)" : "")
                + "; the key and the documents are sent only to the origin of the url you configured. If the service"
                + " has really moved, set url to its new address");
      }
      if (code != 307 && code != 308) {
        throw new Refused(code, from, to,
            "redirect to " + shown + " refused: a " + code + " would turn the POST into a GET without its body;"
                + " if the endpoint has moved, set url to " + shown);
      }
      if (!visited.add(target)) {
        throw new Refused(code, from, to, "redirect loop: " + shown + " was already requested; check the url");
      }
      if (++followed > MAX_REDIRECTS) {
        throw new Refused(code, from, to, "too many redirects (more than " + MAX_REDIRECTS + "); check the url");
      }
      request = request.newBuilder().url(target).build();
    }
  }

  private static boolean isRedirect(int code) {
    return code == 300 || code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }
}
