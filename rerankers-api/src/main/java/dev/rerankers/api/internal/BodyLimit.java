package dev.rerankers.api.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads every answer's body into memory, up to a limit, within the attempt (so the attempt's
 * timeouts cover it and a body cut short is an I/O failure of that attempt). A body over the limit
 * is refused with {@link Oversized} before it is buffered: reported as a malformed answer and never
 * retried, since the same request would bring it again. Immutable.
 */
final class BodyLimit implements Interceptor {
  /** Answers larger than this are refused rather than buffered. */
  static final long MAX_BODY_BYTES = 32L << 20;

  /** An answer over the limit. */
  static final class Oversized extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    Oversized(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    byte[] bytes;
    try (ResponseBody body = response.body()) {
      if (body.contentLength() > MAX_BODY_BYTES) {
        throw new Oversized(response.code(),
            "the answer has " + body.contentLength() + " bytes, over the " + MAX_BODY_BYTES + " byte limit");
      }
      BufferedSource source = body.source();
      if (source.request(MAX_BODY_BYTES + 1)) {
        throw new Oversized(response.code(), "the answer is over the " + MAX_BODY_BYTES + " byte limit");
      }
      bytes = source.getBuffer().readByteArray();
      return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
    }
  }
}
