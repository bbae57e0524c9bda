package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rerankers.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads end: a per-file deadline, a per-load deadline and a stall floor bound a server that
 * trickles, crawls or goes silent, and the typed error says what was kept for the next load.
 * Limits are set small here so each case takes about a second.
 */
class DeadlineTest {
  static final String ID = "acme/slow";
  static final byte[] WEIGHTS = FakeHub.bytes(300_000, 11);

  @TempDir Path tmp;
  FakeHub hub;
  FakeHub.Repo repo;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    repo =
        hub.model(ID, HubClientTest.C1)
            .file("config.json", HubClientTest.CONFIG)
            .lfsFile("model.safetensors", WEIGHTS)
            .lfsFile("onnx/model.onnx", FakeHub.bytes(1000, 12));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient.Builder client() {
    return HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("c")).retryBackoff(Duration.ZERO).progressListener(ProgressListener.none());
  }

  Path partial() {
    return tmp.resolve("c/models--acme--slow/blobs/" + repo.sha256("model.safetensors") + ".incomplete");
  }

  /**
   * Issue 15 item 7: one byte every 300 ms never trips a 5 s read timeout; before the stall floor
   * this load went on for hours. Now it ends after the stall window, retries included.
   */
  @Test
  void a_trickling_server_is_cut_by_the_stall_floor_and_the_next_load_resumes() throws IOException {
    hub.trickle("model.safetensors", 1, 300);
    HubClient c = client().timeout(Duration.ofSeconds(5)).minBytesPerSecond(1000).stallWindow(Duration.ofSeconds(1)).maxRetries(1).build();

    long t0 = System.nanoTime();
    HubTimeoutException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> HubClientTest.catchType(HubTimeoutException.class, () -> c.model(ID).file("model.safetensors")));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("trickle: cut after %.1f s with %d bytes kept%n", seconds, e.bytesKept());

    assertThat(seconds).isLessThan(6);
    assertThat(hub.requestsFor("/cdn/")).as("a stall is transient: resumed once, then given up").hasSize(2);
    assertThat(e.file()).contains("model.safetensors");
    assertThat(e.bytesKept()).isPositive().isEqualTo(Files.size(partial()));
    assertThat(e.partialFile()).contains(partial());
    assertThat(e.getMessage())
        .contains("model.safetensors")
        .contains("stalled")
        .contains("below the floor of 1000 bytes/s")
        .contains("HF_HUB_DOWNLOAD_MIN_RATE")
        .contains("The " + e.bytesKept() + " bytes received are kept in " + partial())
        .contains("the next load resumes from there");
    assertThat(tmp.resolve("c/models--acme--slow/snapshots/" + HubClientTest.C1 + "/model.safetensors")).doesNotExist();

    hub.untrickle("model.safetensors");
    hub.clearRequests();
    assertThat(Files.readAllBytes(client().build().model(ID).file("model.safetensors"))).isEqualTo(WEIGHTS);
    assertThat(hub.requestsFor("/cdn/")).singleElement().satisfies(r -> assertThat(r.range()).isEqualTo("bytes=" + e.bytesKept() + "-"));
  }

  @Test
  void the_per_file_deadline_bounds_a_slow_but_steady_download_and_is_not_retried() {
    hub.throttle(100_000); // 3 s for the weights: above the stall floor, beyond the deadline
    HubClient c = client().fileDeadline(Duration.ofMillis(1000)).build();

    long t0 = System.nanoTime();
    HubTimeoutException e = HubClientTest.catchType(HubTimeoutException.class, () -> c.model(ID).file("model.safetensors"));
    double seconds = (System.nanoTime() - t0) / 1e9;

    assertThat(seconds).isBetween(0.9, 2.5);
    assertThat(hub.requestsFor("/cdn/")).as("a passed deadline is permanent").hasSize(1);
    assertThat(e.bytesKept()).isBetween(1L, (long) WEIGHTS.length - 1);
    assertThat(e.getMessage())
        .contains("did not finish in time")
        .contains("the per-file deadline of 1 s (fileDeadline, HF_HUB_DOWNLOAD_DEADLINE)")
        .contains("bytes received are kept in " + partial());
  }

  @Test
  void the_per_load_deadline_bounds_all_files_of_a_load_and_claims_nothing_when_nothing_arrived() throws IOException {
    hub.throttle(100_000);
    HubRepo model = client().loadDeadline(Duration.ofMillis(1500)).build().model(ID);
    assertThat(Files.readString(model.file("config.json"))).isEqualTo(HubClientTest.CONFIG);

    HubTimeoutException slow = HubClientTest.catchType(HubTimeoutException.class, () -> model.file("model.safetensors"));
    assertThat(slow.getMessage()).contains("the per-load deadline of 1.5 s (loadDeadline, HF_HUB_LOAD_DEADLINE)");
    assertThat(slow.bytesKept()).isPositive();

    hub.clearRequests();
    HubTimeoutException late = HubClientTest.catchType(HubTimeoutException.class, () -> model.file("onnx/model.onnx"));
    assertThat(hub.requestsFor("/resolve/")).as("past the deadline, nothing more is asked").isEmpty();
    assertThat(late.bytesKept()).isZero();
    assertThat(late.partialFile()).isEmpty();
    assertThat(late.getMessage()).contains("No byte of the file arrived, so nothing was kept").doesNotContain("kept in");
  }

  @Test
  void a_server_that_goes_silent_after_the_headers_times_out_without_claiming_a_partial_file() {
    hub.trickle("model.safetensors", 1, 60_000); // headers, then nothing
    HubClient c = client().timeout(Duration.ofMillis(500)).maxRetries(0).build();

    HubTimeoutException e = assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> HubClientTest.catchType(HubTimeoutException.class, () -> c.model(ID).file("model.safetensors")));

    assertThat(e.getMessage()).contains("no data received for 500 ms").contains("No byte of the file arrived, so nothing was kept");
    assertThat(e.bytesKept()).isZero();
    assertThat(e.partialFile()).isEmpty();
  }

  @Test
  void the_default_file_deadline_scales_with_the_size() {
    HubClient c = HubClient.builder().build();
    assertThat(c.fileDeadline(0)).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.fileDeadline(1L << 30)).isEqualTo(Duration.ofMinutes(10).plusSeconds(4096)); // 1 GiB at 256 KiB/s
    assertThat(c.fileDeadline(-1)).isEqualTo(Duration.ofHours(1));
    assertThat(c.loadDeadline()).isNull();
    assertThat(client().fileDeadline(Duration.ofSeconds(7)).build().fileDeadline(1L << 40)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void deadlines_and_the_stall_floor_come_from_the_environment_too() {
    HubClient c =
        HubClient.builderFromEnvironment(
                Map.of(
                    "HF_HUB_DOWNLOAD_DEADLINE", "90",
                    "HF_HUB_LOAD_DEADLINE", "600.5",
                    "HF_HUB_DOWNLOAD_MIN_RATE", "0",
                    "HF_HUB_DOWNLOAD_STALL_SECONDS", "12"),
                "/h")
            .build();
    assertThat(c.fileDeadline(1L << 40)).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.loadDeadline()).isEqualTo(Duration.ofMillis(600_500));
    for (String name : List.of("HF_HUB_DOWNLOAD_DEADLINE", "HF_HUB_LOAD_DEADLINE", "HF_HUB_DOWNLOAD_STALL_SECONDS")) {
      assertThatThrownBy(() -> HubClient.builderFromEnvironment(Map.of(name, "-3"), "/h"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(name);
    }
    assertThatThrownBy(() -> HubClient.builderFromEnvironment(Map.of("HF_HUB_DOWNLOAD_MIN_RATE", "fast"), "/h"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HF_HUB_DOWNLOAD_MIN_RATE");
    assertThatThrownBy(() -> HubClient.builder().minBytesPerSecond(-1)).hasMessageContaining("minBytesPerSecond");
    assertThatThrownBy(() -> HubClient.builder().fileDeadline(Duration.ZERO)).hasMessageContaining("fileDeadline");
  }
}
