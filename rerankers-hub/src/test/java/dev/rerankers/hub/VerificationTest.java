package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fetched byte is verified: a server (or mirror, or proxy) that serves other bytes than the
 * listing and the ETags promise gets the file refused, with nothing left in the cache's blob or
 * snapshot, and an error naming the file and the expected and actual checksum (or size).
 */
class VerificationTest {
  static final String ID = "acme/verified";
  static final byte[] WEIGHTS = FakeHub.bytes(40_000, 7);

  @TempDir Path tmp;
  Path cache;
  FakeHub hub;
  FakeHub.Repo repo;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("cache");
    repo = hub.model(ID, HubClientTest.C1).file("config.json", HubClientTest.CONFIG).lfsFile("model.safetensors", WEIGHTS);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient client() {
    return HubClient.builder().endpoint(hub.url()).cacheDir(cache).retryBackoff(Duration.ZERO).progressListener(ProgressListener.none()).build();
  }

  Path repoDir() {
    return cache.resolve("models--acme--verified");
  }

  /** Issue 15 item 5: without blobId in the listing, the git blob id from HEAD's ETag is checked. */
  @Test
  void a_tampered_regular_file_is_refused_when_the_listing_has_no_blob_id() {
    hub.listBlobs(false);
    hub.tamper("config.json", b -> flip(b));

    assertThatThrownBy(() -> client().model(ID).file("config.json"))
        .isInstanceOf(HubIntegrityException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("git blob id " + FakeHub.gitBlobId(flip(repo.files.get("config.json"))))
        .hasMessageContaining("expected " + repo.blobId("config.json"))
        .hasMessageContaining("nothing was cached");
    assertNothingCached("config.json", repo.blobId("config.json"));
    // what was asked: HEAD for the ETag, then the file twice (a second chance after the first mismatch)
    assertThat(hub.requestsFor("/resolve/").stream().map(FakeHub.Request::method)).containsExactly("HEAD", "GET", "GET");
  }

  @Test
  void an_untampered_file_without_blob_id_is_verified_and_cached() throws IOException {
    hub.listBlobs(false);
    HubRepo model = client().model(ID);
    assertThat(Files.readString(model.file("config.json"))).isEqualTo(HubClientTest.CONFIG);
    assertThat(Files.readAllBytes(model.file("model.safetensors"))).isEqualTo(WEIGHTS);
    assertThat(repoDir().resolve("blobs/" + repo.blobId("config.json"))).exists();
  }

  @Test
  void a_file_whose_etag_is_no_checksum_is_refused_as_unverifiable() {
    hub.listBlobs(false);
    hub.etag("config.json", "W/\"5e1f-17a8c3e2\"");
    assertThatThrownBy(() -> client().model(ID).file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing config.json")
        .hasMessageContaining("cannot be verified")
        .hasMessageContaining("5e1f-17a8c3e2");
    assertThat(hub.requestsFor("/resolve/").stream().map(FakeHub.Request::method)).containsExactly("HEAD");
    assertThat(repoDir().resolve("snapshots/" + HubClientTest.C1 + "/config.json")).doesNotExist();
  }

  enum Tamper {
    FLIPPED_BYTE(VerificationTest::flip),
    TRUNCATED(b -> Arrays.copyOf(b, b.length - 5)),
    EXTRA_BYTES(b -> Arrays.copyOf(b, b.length + 7));

    final UnaryOperator<byte[]> change;

    Tamper(UnaryOperator<byte[]> change) {
      this.change = change;
    }
  }

  static Stream<Arguments> tamperMatrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String file : List.of("config.json", "model.safetensors")) {
      for (boolean listed : List.of(true, false)) {
        for (Tamper t : Tamper.values()) {
          cases.add(Arguments.of(file, listed, t));
        }
      }
    }
    return cases.stream();
  }

  /**
   * {regular file, LFS file} x {listing with blob metadata, without (HEAD gives the ETag)} x
   * {a flipped byte, truncated, extra bytes}; the tampering server also announces the tampered
   * size where it announces one (HEAD's Content-Length, X-Linked-Size), as a consistent liar would.
   */
  @ParameterizedTest(name = "{0}, listing with blob ids: {1}, {2}")
  @MethodSource("tamperMatrix")
  void tampered_files_are_refused_and_nothing_is_cached(String file, boolean listed, Tamper tamper) {
    hub.listBlobs(listed);
    hub.tamper(file, tamper.change);
    byte[] original = repo.files.get(file);
    byte[] served = tamper.change.apply(original.clone());
    boolean lfs = file.endsWith(".safetensors");
    String expected = repo.etag(file);
    // a listing promises the size, so a size change is caught before any checksum; otherwise the checksum catches it
    boolean caughtBySize = listed && served.length != original.length;
    String actual =
        caughtBySize
            ? served.length + " bytes"
            : lfs ? FakeHub.hex("SHA-256", served) : FakeHub.gitBlobId(served);

    HubIntegrityException e = HubClientTest.catchType(HubIntegrityException.class, () -> client().model(ID).file(file));

    assertThat(e.file()).isEqualTo(file);
    assertThat(e.algorithm()).isEqualTo(lfs ? "sha256" : "git-sha1");
    assertThat(e.expected()).isEqualTo(expected);
    assertThat(e.actual()).isEqualTo(actual);
    assertThat(e.getMessage()).contains(file).contains(expected).contains(actual).contains("nothing was cached");
    assertNothingCached(file, expected);
  }

  void assertNothingCached(String file, String etag) {
    assertThat(repoDir().resolve("blobs/" + etag)).doesNotExist();
    assertThat(repoDir().resolve("blobs/" + etag + ".incomplete")).doesNotExist();
    assertThat(repoDir().resolve("snapshots/" + HubClientTest.C1 + "/" + file)).doesNotExist();
    if (Files.isDirectory(repoDir().resolve("blobs"))) {
      try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
        assertThat(blobs).isEmpty();
      } catch (IOException ex) {
        throw new AssertionError(ex);
      }
    }
  }

  static byte[] flip(byte[] b) {
    byte[] c = b.clone();
    c[c.length / 3] ^= 0x20;
    return c;
  }
}
