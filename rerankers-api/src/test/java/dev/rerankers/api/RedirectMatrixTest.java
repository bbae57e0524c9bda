package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rerankers.ApiException;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redirect matrix, for every model type of the backend, through {@code rank} and {@code
 * rankAsync}: the configured endpoint answers 301, 302, 307 or 308 pointing at the same origin,
 * at another port, at another host name, or (from https) at plain http. Another origin never
 * receives a request (so neither the key nor the documents); the call fails at once with a
 * {@link RedirectRefusedException} naming both origins, not retried, the key absent from every
 * message and log record. Same-origin 307/308 are followed with the same method, body and key;
 * same-origin 301/302 are refused (they would turn the POST into a GET).
 */
class RedirectMatrixTest {
  static final String KEY = "rk-Zq8Wm3Nx7Pv2Lc5Hs9Jd4Tb6Gf1Ky0AeQ";

  @RegisterExtension final SecretScan.Logs logs = new SecretScan.Logs();

  enum Target {
    SAME_ORIGIN,
    OTHER_PORT,
    OTHER_HOST,
    HTTPS_TO_HTTP
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (ApiCase c : ApiCase.list()) {
      for (int code : new int[] {301, 302, 307, 308}) {
        for (Target t : Target.values()) {
          out.add(Arguments.of(c, code, t, "rank"));
          out.add(Arguments.of(c, code, t, "rankAsync"));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("matrix")
  void another_origin_never_sees_the_key_or_the_documents(ApiCase c, int code, Target target, String mode)
      throws Exception {
    logs.watch(KEY);
    try (MockWebServer a = new MockWebServer(); MockWebServer b = new MockWebServer()) {
      if (target == Target.HTTPS_TO_HTTP) {
        a.useHttps(TestTls.serverSockets());
      }
      a.start();
      b.start();
      String location = switch (target) {
        case SAME_ORIGIN -> ApiCase.base(a) + "/moved" + c.requestPath();
        case OTHER_PORT -> "http://localhost:" + b.getPort() + c.requestPath();
        case OTHER_HOST -> "http://127.0.0.1:" + a.getPort() + c.requestPath();
        case HTTPS_TO_HTTP -> "http://localhost:" + b.getPort() + c.requestPath();
      };
      a.enqueue(new MockResponse.Builder().code(code).addHeader("Location", location).body("moved").build());
      a.enqueue(c.ok()); // what a followed redirect to a would get
      b.enqueue(c.ok()); // what a followed redirect to b would get
      Reranker ranker = target == Target.HTTPS_TO_HTTP
          ? TestTls.trusting(() -> c.load(a, KEY, ""))
          : c.load(a, KEY, "");
      Object outcome;
      try {
        outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> call(ranker, mode));
      } finally {
        ranker.close();
      }
      assertThat(b.getRequestCount()).as("requests that reached the other port").isZero();
      RecordedRequest first = a.takeRequest(1, TimeUnit.SECONDS);
      assertThat(first.getHeaders().get(c.authHeader())).isEqualTo(c.authPrefix() + KEY);
      boolean follow = target == Target.SAME_ORIGIN && (code == 307 || code == 308);
      if (follow) {
        assertThat(outcome).as("a same-origin %d is followed", code).isInstanceOf(RankedResults.class);
        assertThat(a.getRequestCount()).isEqualTo(2);
        RecordedRequest second = a.takeRequest(1, TimeUnit.SECONDS);
        assertThat(second.getMethod()).isEqualTo("POST");
        assertThat(second.getUrl().encodedPath()).isEqualTo("/moved" + c.requestPath());
        assertThat(second.getHeaders().get(c.authHeader())).isEqualTo(c.authPrefix() + KEY);
        assertThat(second.getBody().utf8()).isEqualTo(first.getBody().utf8()).contains("Carson City");
        assertThat(((RankedResults) outcome).usage().get(dev.rerankers.Usage.REQUESTS)).isEqualTo(1);
        return;
      }
      assertThat(a.getRequestCount()).as("requests to the configured server: one, not retried, not followed").isEqualTo(1);
      assertThat(outcome).isInstanceOf(RedirectRefusedException.class);
      RedirectRefusedException e = (RedirectRefusedException) outcome;
      SecretScan.assertClean(e, KEY);
      assertThat(e.isRetriable()).isFalse();
      assertThat(e.statusCode()).isEqualTo(code);
      assertThat(e.provider()).isEqualTo(c.type());
      String from = origin(ApiCase.base(a));
      String to = origin(location);
      assertThat(e.fromOrigin()).contains(from);
      assertThat(e.toOrigin()).contains(to);
      assertThat(e.getMessage()).contains(from).contains(to).contains(Integer.toString(code));
      if (target == Target.HTTPS_TO_HTTP) {
        assertThat(e.getMessage()).contains("https to http");
      }
      if (target == Target.SAME_ORIGIN) {
        assertThat(e.getMessage()).contains("set url to " + location);
      }
    }
  }

  private static String origin(String url) {
    okhttp3.HttpUrl u = okhttp3.HttpUrl.get(url);
    return u.scheme() + "://" + u.host() + ":" + u.port();
  }

  static Object call(Reranker ranker, String mode) throws Exception {
    try {
      if (mode.equals("rank")) {
        return ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
      }
      return ranker.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get();
    } catch (ApiException e) {
      return e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        return api;
      }
      throw e;
    }
  }
}
