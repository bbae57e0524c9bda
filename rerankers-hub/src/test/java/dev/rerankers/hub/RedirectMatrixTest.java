package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Credentials;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redirect and credential matrix: {301, 302, 307, 308} x {same origin, other port, other
 * host, https to http} x {token, no token} x {the listing, HEAD, the file GET}. The Hub is an https
 * {@link FakeHub} at {@code https://127.0.0.1:a}; "other port" is a second https server at {@code
 * https://127.0.0.1:b}, "other host" the first one under the name {@code https://localhost:a},
 * "https to http" a plain-http server. Redirects land on {@code /mirror/...}, which serves the same
 * repository without asking for the token, like a CDN.
 */
class RedirectMatrixTest {
  static final String ID = "acme/private";
  static final String TOKEN = "hf_MatrixToken0123456789abcdef";
  static FakeHub hub;
  static FakeHub otherPort;
  static FakeHub plain;
  static HttpClient http;

  @TempDir Path tmp;

  @BeforeAll
  static void servers() throws IOException {
    hub = new FakeHub(TestTls.server());
    otherPort = new FakeHub(TestTls.server());
    plain = new FakeHub();
    for (FakeHub h : List.of(hub, otherPort, plain)) {
      h.model(ID, HubClientTest.C1).file("config.json", HubClientTest.CONFIG);
    }
    http = TestTls.httpClient();
  }

  @AfterAll
  static void close() {
    hub.close();
    otherPort.close();
    plain.close();
  }

  @BeforeEach
  void reset() {
    for (FakeHub h : List.of(hub, otherPort, plain)) {
      h.clearRedirects();
      h.clearRequests();
      h.listBlobs(true);
    }
  }

  enum Target {
    SAME_ORIGIN,
    OTHER_PORT,
    OTHER_HOST,
    HTTPS_TO_HTTP;

    String base() {
      switch (this) {
        case SAME_ORIGIN:
          return hub.url();
        case OTHER_PORT:
          return otherPort.url();
        case OTHER_HOST:
          return hub.urlAs("localhost");
        default:
          return plain.url();
      }
    }
  }

  enum Kind {
    LISTING,
    HEAD,
    FILE_GET
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (int status : new int[] {301, 302, 307, 308}) {
        for (Target target : Target.values()) {
          for (boolean token : new boolean[] {true, false}) {
            cases.add(Arguments.of(kind, status, target, token));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} to {2}, token {3}")
  @MethodSource("matrix")
  void the_token_stays_home_and_downgrades_are_refused(Kind kind, int status, Target target, boolean withToken) throws IOException {
    hub.model(ID, HubClientTest.C1).file("config.json", HubClientTest.CONFIG).token = withToken ? TOKEN : null;
    switch (kind) {
      case LISTING:
        hub.redirect(null, "/api/models/", status, target.base());
        break;
      case HEAD:
        hub.listBlobs(false);
        hub.redirect("HEAD", "/resolve/", status, target.base());
        break;
      default:
        hub.redirect("GET", "/resolve/", status, target.base());
    }
    HubClient.Builder b =
        HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).httpClient(http).retryBackoff(Duration.ZERO)
            .progressListener(ProgressListener.none());
    if (withToken) {
      b.token(TOKEN);
    }
    HubClient client = b.build();
    String endpointHost = "127.0.0.1:" + hub.port();

    if (target == Target.HTTPS_TO_HTTP) {
      HubRedirectException e = HubClientTest.catchType(HubRedirectException.class, () -> client.model(ID).file("config.json"));
      assertThat(e.from()).startsWith(hub.url() + "/");
      assertThat(e.to()).startsWith(plain.url() + "/mirror/");
      assertThat(e.getMessage())
          .contains("refusing a redirect from " + hub.url())
          .contains(" to " + plain.url() + "/mirror/")
          .contains("downgrade from https to plain http")
          .doesNotContain(TOKEN);
      assertThat(plain.requests()).as("nothing reaches the plain-http server").isEmpty();
      assertThat(tmp.resolve("c/models--acme--private/snapshots/" + HubClientTest.C1 + "/config.json")).doesNotExist();
    } else {
      Path config = client.model(ID).file("config.json");
      assertThat(Files.readString(config)).isEqualTo(HubClientTest.CONFIG);
      List<FakeHub.Request> redirected = new ArrayList<>();
      for (FakeHub.Request r : hub.requests()) {
        boolean home = endpointHost.equals(r.host());
        if (home) {
          assertThat(r.authorization()).as("to the endpoint: %s", r).isEqualTo(withToken ? "Bearer " + TOKEN : null);
        } else {
          assertThat(r.authorization()).as("to another host: %s", r).isNull();
        }
        if (r.path().startsWith("/mirror/")) {
          redirected.add(r);
        }
      }
      for (FakeHub.Request r : otherPort.requests()) {
        assertThat(r.authorization()).as("to another port: %s", r).isNull();
        redirected.add(r);
      }
      assertThat(redirected).as("the redirect was followed").isNotEmpty();
      assertThat(redirected).allSatisfy(r -> assertThat(r.method()).isEqualTo(kind == Kind.HEAD ? "HEAD" : "GET"));
      if (target == Target.OTHER_HOST) {
        assertThat(redirected).allSatisfy(r -> assertThat(r.host()).isEqualTo("localhost:" + hub.port()));
      }
    }
    assertThat(plain.requests()).isEmpty();
  }

  @Test
  void a_location_carrying_the_token_is_shown_masked() {
    hub.model(ID, HubClientTest.C1).file("config.json", HubClientTest.CONFIG).token = TOKEN;
    // a hostile server echoes the token into the redirect: in user info, path and query
    hub.redirect("GET", "/resolve/", 302, "http://" + TOKEN + "@evil.example:81/steal/" + TOKEN);
    HubClient client = HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).httpClient(http).token(TOKEN).build();
    try (LogCapture logs = new LogCapture()) {
      HubRedirectException e = HubClientTest.catchType(HubRedirectException.class, () -> client.model(ID).file("config.json"));
      assertThat(e.to()).isEqualTo("http://evil.example:81/steal/" + Credentials.mask(TOKEN) + "/mirror/" + ID + "/resolve/" + HubClientTest.C1 + "/config.json");
      assertThat(e.getMessage()).doesNotContain(TOKEN).contains("http://evil.example:81/steal/" + Credentials.mask(TOKEN)).contains(hub.url());
      assertThat(logs.all()).doesNotContain(TOKEN);
    }
  }
}
