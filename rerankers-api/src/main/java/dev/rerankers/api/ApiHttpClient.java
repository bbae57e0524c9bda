package dev.rerankers.api;

import dev.rerankers.api.internal.SharedHttp;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Which {@link OkHttpClient} the API rankers share. By default the library builds its own when the
 * first ranker is built and shuts it down when the last one is closed; every ranker derives its
 * client from it with {@link OkHttpClient#newBuilder()}, so all of them share one dispatcher, one
 * thread pool and one connection pool, and each adds only its timeouts and interceptors.
 *
 * <p>To have the rankers use your client instead (its proxy, TLS settings, event listener,
 * connection pool, dispatcher and interceptors), install it once, before building them:
 *
 * <pre>{@code
 * OkHttpClient mine = new OkHttpClient.Builder().proxy(proxy).eventListenerFactory(metrics).build();
 * ApiHttpClient.use(mine);
 * Reranker cohere = Reranker.load("cohere:rerank-v3.5");   // its calls go through mine's pools
 * }</pre>
 *
 * <p>Rankers built afterwards derive from it; rankers already built keep what they derived from.
 * The library never shuts an installed client down. Each ranker still applies its own timeouts,
 * retries, {@code maxConcurrency}, redirect rule (okhttp's redirect following and connection
 * retries are switched off in the derived client) and authentication. Your application
 * interceptors run before the ranker's own, so they see requests without the API key and error
 * answers with it masked; your dispatcher's limits ({@code maxRequestsPerHost} is 5 by default in
 * okhttp) apply on top of {@code maxConcurrency}. Thread-safe.
 */
public final class ApiHttpClient {
  private ApiHttpClient() {}

  /** Makes API rankers built from now on derive their clients from {@code client}. */
  public static void use(OkHttpClient client) {
    SharedHttp.use(Objects.requireNonNull(client, "client"));
  }

  /** Goes back to the library's own shared client for rankers built from now on. */
  public static void useDefault() {
    SharedHttp.use(null);
  }
}
