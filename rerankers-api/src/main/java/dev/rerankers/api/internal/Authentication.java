package dev.rerankers.api.internal;

import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one place a ranker's key is attached to a request: its header ({@code Authorization: Bearer
 * <key>}, Pinecone's {@code Api-Key: <key>}) goes on requests to the configured origin (scheme,
 * host and port) and on nothing else. It sits below {@link RedirectPolicy}, so each hop of a
 * followed redirect is checked again, and below any interceptor of a user's client, which
 * therefore never sees the key. Immutable.
 */
final class Authentication implements Interceptor {
  private final HttpUrl origin;
  private final String header;
  private final String value;

  /**
   * @param origin the configured endpoint (only its scheme, host and port count)
   * @param header the header's name
   * @param value its value, key included (checked printable ASCII, so okhttp never quotes it)
   */
  Authentication(HttpUrl origin, String header, String value) {
    this.origin = origin;
    this.header = header;
    this.value = value;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (Origins.same(request.url(), origin)) {
      request = request.newBuilder().header(header, value).build();
    }
    return chain.proceed(request);
  }

  @Override
  public String toString() {
    return "Authentication[" + header + " for " + Origins.of(origin) + "]";
  }
}
