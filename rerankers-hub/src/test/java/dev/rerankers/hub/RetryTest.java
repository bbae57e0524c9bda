package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures are classified once: transient ones (dropped connections, timeouts, stalls, 408, 429,
 * 5xx) are retried, permanent ones (redirect loops, oversized answers, other 4xx, unreachable
 * hosts, TLS failures, passed deadlines) fail at once. The back-off is 5 s here, so a retry
 * would show in the time taken (and in the request counts).
 */
class RetryTest {
  static final String ID = "acme/retry";
  static final Duration BACKOFF = Duration.ofSeconds(5);
  static final long NO_RETRY_MS = 4000;

  @TempDir Path tmp;
  FakeHub hub;
  FakeHub.Repo repo;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    repo = hub.model(ID, HubClientTest.C1).file("config.json", HubClientTest.CONFIG).lfsFile("model.safetensors", FakeHub.bytes(50_000, 3));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient.Builder client() {
    return HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).retryBackoff(BACKOFF).progressListener(ProgressListener.none());
  }

  /** Issue 15 item 8: a loop took 6 attempts, 66 requests and 31 s. */
  @Test
  void a_redirect_loop_is_permanent() {
    hub.redirect(null, "/resolve/", 302, null);
    long t0 = System.nanoTime();
    HubRedirectException e = HubClientTest.catchType(HubRedirectException.class, () -> client().build().model(ID).file("config.json"));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(hub.requestsFor("/resolve/")).hasSize(11); // the request and 10 redirects, once
    assertThat(ms).isLessThan(NO_RETRY_MS);
    assertThat(e.getMessage()).contains("more than 10 redirects").contains("/resolve/" + HubClientTest.C1 + "/config.json").contains("not retried");
  }

  /** Issue 15 item 8: an oversized listing took 6 attempts and 87 s. */
  @ParameterizedTest(name = "chunked: {0}")
  @ValueSource(booleans = {false, true})
  void an_oversized_listing_is_permanent_and_claims_no_partial_file(boolean chunked) {
    hub.padListing(65L << 20, chunked);
    long t0 = System.nanoTime();
    ModelLoadException e = HubClientTest.catchLoad(() -> client().build().model(ID).file("config.json"));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(hub.requestsFor("/api/")).hasSize(1);
    assertThat(ms).isLessThan(NO_RETRY_MS);
    assertThat(e.getMessage()).contains("more than the 67108864 bytes accepted").doesNotContain("kept").doesNotContain("resume");
  }

  @Test
  void a_transient_status_is_retried_for_the_listing_head_and_file() throws IOException {
    hub.listBlobs(false);
    hub.forceStatus("/api/models/", 503, 1);
    hub.forceStatus("/resolve/", 502, 1); // the first HEAD
    HubClient c = client().retryBackoff(Duration.ZERO).build();

    assertThat(Files.readString(c.model(ID).file("config.json"))).isEqualTo(HubClientTest.CONFIG);

    assertThat(hub.requestsFor("/api/")).hasSize(2);
    assertThat(hub.requestsFor("/resolve/").stream().map(FakeHub.Request::method)).containsExactly("HEAD", "HEAD", "GET");
  }

  @Test
  void a_transient_status_is_retried_for_a_regular_file_download() throws IOException {
    hub.forceStatus("/resolve/", 504, 1);
    assertThat(Files.readString(client().retryBackoff(Duration.ZERO).build().model(ID).file("config.json"))).isEqualTo(HubClientTest.CONFIG);
    assertThat(hub.requestsFor("/resolve/")).hasSize(2);
  }

  @Test
  void a_client_error_is_not_retried() {
    hub.forceStatus("/resolve/", 400);
    ModelLoadException e = HubClientTest.catchLoad(() -> client().build().model(ID).file("config.json"));
    assertThat(e.getMessage()).contains("HTTP 400");
    assertThat(hub.requestsFor("/resolve/")).hasSize(1);
  }

  @Test
  void a_connection_dropped_before_any_byte_claims_no_partial_file() {
    hub.dropConnection("model.safetensors", 0, 10);
    ModelLoadException e = HubClientTest.catchLoad(() -> client().maxRetries(0).build().model(ID).file("model.safetensors"));
    assertThat(e.getMessage()).contains("No byte of the file arrived, so nothing was kept").doesNotContain("kept in").doesNotContain("resumes");
    assertThat(tmp.resolve("c/models--acme--retry/blobs/" + repo.sha256("model.safetensors") + ".incomplete")).doesNotExist();
  }

  @Test
  void a_tls_failure_is_permanent() throws IOException {
    try (FakeHub https = new FakeHub(TestTls.server())) {
      https.model(ID, HubClientTest.C1).file("config.json", "{}");
      // the default client does not trust the test certificate
      long t0 = System.nanoTime();
      ModelLoadException e =
          HubClientTest.catchLoad(
              () -> HubClient.builder().endpoint(https.url()).cacheDir(tmp.resolve("c")).retryBackoff(BACKOFF).build().model(ID).file("config.json"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as("no retry").isLessThan(NO_RETRY_MS);
      assertThat(e.getMessage()).contains(https.url());
    }
  }

  /** Retry-After as an HTTP date (RFC 9110) is honoured, as in seconds; it used to be ignored. */
  @Test
  void a_retry_after_date_is_waited_for() throws IOException {
    hub.forceStatus("/resolve/", 503, 1);
    hub.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2)));
    long t0 = System.nanoTime();
    assertThat(Files.readString(client().retryBackoff(Duration.ZERO).build().model(ID).file("config.json"))).isEqualTo(HubClientTest.CONFIG);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(hub.requestsFor("/resolve/")).hasSize(2);
    assertThat(ms).as("waited for the date (whole seconds: 1-2 s ahead)").isGreaterThanOrEqualTo(900);
  }

  @Test
  void a_retry_after_date_past_the_deadline_fails_at_once() {
    hub.forceStatus("/resolve/", 503, 1);
    hub.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(50)));
    long t0 = System.nanoTime();
    HubTimeoutException e =
        HubClientTest.catchType(
            HubTimeoutException.class,
            () -> client().retryBackoff(Duration.ZERO).fileDeadline(Duration.ofSeconds(20)).build().model(ID).file("config.json"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).as("no wait").isLessThan(NO_RETRY_MS);
    assertThat(hub.requestsFor("/resolve/")).hasSize(1);
    assertThat(e.getMessage()).contains("did not finish in time").contains("per-file deadline of 20 s");
  }
}
