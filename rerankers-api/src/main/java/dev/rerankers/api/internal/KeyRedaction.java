package dev.rerankers.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Masks the key in error answers (providers echo a refused key, whole or its tail) before anything
 * above reads them: the engine's exception messages and logs, and any interceptor of a user's
 * client (a logging one, say). The outermost of the ranker's interceptors; it expects the body
 * buffered by {@link BodyLimit} below it. Successful answers pass untouched. Immutable.
 */
final class KeyRedaction implements Interceptor {
  private final Secret key;

  KeyRedaction(Secret key) {
    this.key = key;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (response.isSuccessful()) {
      return response;
    }
    ResponseBody body = response.body();
    byte[] bytes = body.bytes();
    String text = new String(bytes, StandardCharsets.UTF_8);
    String masked = Secret.redact(text, key);
    byte[] out = masked.equals(text) ? bytes : masked.getBytes(StandardCharsets.UTF_8);
    return response.newBuilder().body(ResponseBody.create(out, body.contentType())).build();
  }
}
