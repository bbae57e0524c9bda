package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Credentials;
import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub client against a real local HTTP server speaking the Hub's routes and headers ({@link FakeHub}). */
class HubClientTest {
  static final String C1 = FakeHub.hex("SHA-1", "commit one".getBytes(StandardCharsets.UTF_8));
  static final String C2 = FakeHub.hex("SHA-1", "commit two".getBytes(StandardCharsets.UTF_8));
  static final String ID = "acme/tiny-reranker";
  static final String CONFIG = "{\"model_type\": \"bert\", \"hidden_size\": 8}";

  @TempDir Path tmp;
  Path cache;
  FakeHub hub;
  FakeHub.Repo repo;
  final byte[] weights = FakeHub.bytes(300_000, 1);
  final byte[] onnx = FakeHub.bytes(120_000, 2);
  final List<DownloadProgress> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hub-cache");
    repo =
        hub.model(ID, C1)
            .file("config.json", CONFIG)
            .file("tokenizer.json", "{\"version\": \"1.0\"}")
            .lfsFile("model.safetensors", weights)
            .lfsFile("onnx/model.onnx", onnx);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient.Builder client() {
    return HubClient.builder()
        .endpoint(hub.url())
        .cacheDir(cache)
        .retryBackoff(Duration.ZERO)
        .timeout(Duration.ofSeconds(5))
        .progressListener(progress::add);
  }

  Path repoDir() {
    return cache.resolve("models--acme--tiny-reranker");
  }

  @Test
  void first_load_downloads_into_the_huggingface_hub_layout() throws IOException {
    HubRepo model = client().build().model(ID);

    Path config = model.file("config.json");
    Path st = model.file("model.safetensors");
    Path ox = model.file("onnx/model.onnx");

    assertThat(Files.readString(config)).isEqualTo(CONFIG);
    assertThat(Files.readAllBytes(st)).isEqualTo(weights);
    assertThat(Files.readAllBytes(ox)).isEqualTo(onnx);
    assertThat(model.commit()).isEqualTo(C1);
    assertThat(model.directory()).isEqualTo(repoDir().resolve("snapshots").resolve(C1));

    // refs/main holds the commit without a newline, as huggingface_hub writes it
    assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(C1);
    // snapshot entries are relative symlinks into blobs/, named by ETag
    assertThat(config).isEqualTo(repoDir().resolve("snapshots/" + C1 + "/config.json"));
    assertThat(Files.isSymbolicLink(config)).isTrue();
    assertThat(Files.readSymbolicLink(config).toString()).isEqualTo("../../blobs/" + repo.blobId("config.json"));
    assertThat(Files.readSymbolicLink(st).toString()).isEqualTo("../../blobs/" + repo.sha256("model.safetensors"));
    assertThat(Files.readSymbolicLink(ox).toString()).isEqualTo("../../../blobs/" + repo.sha256("onnx/model.onnx"));
    assertThat(Files.readAllBytes(repoDir().resolve("blobs/" + repo.sha256("model.safetensors")))).isEqualTo(weights);
    assertThat(Files.exists(cache.resolve(".locks/models--acme--tiny-reranker/" + repo.sha256("model.safetensors") + ".lock"))).isTrue();
    assertThat(Files.readString(cache.resolve("CACHEDIR.TAG"))).startsWith("Signature: 8a477f597d28d172789f06886806bc55");
    assertThat(Files.readString(repoDir().resolve("trees/" + C1 + ".json")))
        .contains("\"format_version\": 1")
        .contains("\"lfs_sha256\": \"" + repo.sha256("model.safetensors") + "\"");
    try (Stream<Path> walk = Files.walk(cache)) {
      assertThat(walk.map(Path::toString).filter(p -> p.endsWith(".incomplete") || p.endsWith(".tmp"))).isEmpty();
    }

    // one listing, one resolve per file, one CDN fetch per LFS file: only the files asked for
    assertThat(hub.requestsFor("/api/models/" + ID + "/revision/main")).hasSize(1);
    assertThat(hub.requestsFor("/api/").get(0).query()).isEqualTo("blobs=true");
    assertThat(hub.requestsFor("/resolve/" + C1 + "/")).hasSize(3);
    assertThat(hub.requestsFor("/cdn/")).hasSize(2);
    assertThat(hub.requestsFor("tokenizer.json")).isEmpty();
    assertThat(hub.requests()).allSatisfy(r -> assertThat(r.authorization()).isNull());

    // progress: a start and a verified end for each file
    List<DownloadProgress> stDone =
        progress.stream().filter(p -> p.file().equals("model.safetensors") && p.done()).collect(Collectors.toList());
    assertThat(stDone).hasSize(1);
    assertThat(stDone.get(0).bytes()).isEqualTo(weights.length);
    assertThat(stDone.get(0).totalBytes()).isEqualTo(weights.length);
    assertThat(progress.stream().filter(p -> p.file().equals("model.safetensors") && !p.done()).findFirst().orElseThrow().bytes())
        .isZero();
  }

  @Test
  void second_load_is_served_from_the_cache_with_zero_requests() throws IOException {
    HubRepo first = client().build().model(ID);
    first.file("config.json");
    first.file("model.safetensors");
    assertThat(first.optionalFile("tokenizer_config.json")).isEmpty();
    assertThat(Files.exists(repoDir().resolve(".no_exist/" + C1 + "/tokenizer_config.json"))).isTrue();
    hub.clearRequests();

    HubRepo second = client().build().model(ID);
    assertThat(Files.readString(second.file("config.json"))).isEqualTo(CONFIG);
    assertThat(Files.readAllBytes(second.file("model.safetensors"))).isEqualTo(weights);
    assertThat(second.optionalFile("tokenizer_config.json")).isEmpty(); // absence was recorded
    assertThat(second.files()).containsExactly("config.json", "model.safetensors", "onnx/model.onnx", "tokenizer.json");
    assertThat(second.commit()).isEqualTo(C1);

    assertThat(hub.requests()).isEmpty();
  }

  @Test
  void a_blob_cached_for_another_commit_is_linked_not_downloaded_again() throws IOException {
    client().build().model(ID).file("model.safetensors");
    FakeHub.Repo v2 = hub.model("acme/tiny-reranker-v2", C2).lfsFile("model.safetensors", weights);
    assertThat(v2.sha256("model.safetensors")).isEqualTo(repo.sha256("model.safetensors"));
    hub.clearRequests();

    HubRepo model = client().build().model(ID, C1);
    model.file("onnx/model.onnx");
    assertThat(hub.requestsFor("/api/")).as("pinned commit with a cached tree needs no listing").isEmpty();
    assertThat(hub.requestsFor("/cdn/")).hasSize(1);
  }

  @Test
  void offline_mode_never_touches_the_network_and_names_what_is_missing() throws IOException {
    HubClient offline = client().offline(true).build();
    assertThatThrownBy(() -> offline.model(ID).file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("offline mode is on")
        .hasMessageContaining("'" + ID + "'")
        .hasMessageContaining("not in the cache")
        .hasMessageContaining("config.json")
        .hasMessageContaining("hf download " + ID);
    assertThat(hub.requests()).isEmpty();

    client().build().model(ID).file("config.json");
    hub.clearRequests();

    HubRepo model = offline.model(ID);
    assertThat(Files.readString(model.file("config.json"))).isEqualTo(CONFIG);
    assertThat(model.files()).contains("model.safetensors", "onnx/model.onnx"); // from trees/<commit>.json
    assertThat(model.optionalFile("tokenizer_config.json")).isEmpty(); // the cached listing says it does not exist
    assertThat(model.optionalFile("tokenizer.json")).isEmpty(); // exists upstream, not cached: going on without it
    assertThatThrownBy(() -> model.require(List.of("config.json", "model.safetensors", "onnx/model.onnx")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("commit " + C1)
        .hasMessageContaining("model.safetensors, onnx/model.onnx")
        .hasMessageContaining("hf download " + ID + " model.safetensors onnx/model.onnx");
    assertThat(hub.requests()).isEmpty();

    // an unreachable endpoint changes nothing offline
    hub.close();
    HubRepo unreachable = client().offline(true).build().model(ID);
    assertThat(Files.readString(unreachable.file("config.json"))).isEqualTo(CONFIG);
  }

  @Test
  void hf_hub_offline_in_the_environment_turns_offline_mode_on() {
    HubClient c = HubClient.builderFromEnvironment(Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", cache.toString()), "/home/x").build();
    assertThat(c.offline()).isTrue();
    assertThatThrownBy(() -> c.model(ID).file("config.json")).hasMessageContaining("offline");
    assertThat(hub.requests()).isEmpty();
  }

  @Test
  void a_dropped_connection_is_resumed_with_a_range_request() throws IOException {
    hub.dropConnection("model.safetensors", 100_000, 1);

    Path st = client().build().model(ID).file("model.safetensors");

    assertThat(Files.readAllBytes(st)).isEqualTo(weights);
    List<FakeHub.Request> cdn = hub.requestsFor("/cdn/");
    assertThat(cdn).hasSize(2);
    assertThat(cdn.get(0).range()).isNull();
    assertThat(cdn.get(1).range()).startsWith("bytes=");
    long resumedAt = Long.parseLong(cdn.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
    System.out.println("resumed at byte " + resumedAt + " of " + weights.length);
    assertThat(resumedAt).isBetween(1L, 100_000L);
  }

  @Test
  void an_interrupted_download_is_resumed_by_the_next_load() throws IOException {
    hub.dropConnection("model.safetensors", 150_000, 1);
    assertThatThrownBy(() -> client().maxRetries(0).build().model(ID).file("model.safetensors"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("bytes received are kept in")
        .hasMessageContaining("the next load resumes from there");
    Path partial = repoDir().resolve("blobs/" + repo.sha256("model.safetensors") + ".incomplete");
    long have = Files.size(partial);
    assertThat(have).isBetween(1L, 150_000L);
    assertThat(Files.exists(repoDir().resolve("snapshots/" + C1 + "/model.safetensors"))).isFalse();
    hub.clearRequests();
    progress.clear();

    Path st = client().build().model(ID).file("model.safetensors");

    assertThat(Files.readAllBytes(st)).isEqualTo(weights);
    assertThat(hub.requestsFor("/cdn/")).singleElement().satisfies(r -> assertThat(r.range()).isEqualTo("bytes=" + have + "-"));
    assertThat(progress.get(progress.size() - 1).resumedBytes()).isEqualTo(have);
    assertThat(Files.exists(partial)).isFalse();
  }

  @Test
  void a_server_ignoring_range_restarts_the_file_cleanly() throws IOException {
    hub.dropConnection("model.safetensors", 100_000, 1);
    hub.ignoreRange(true);
    assertThat(Files.readAllBytes(client().build().model(ID).file("model.safetensors"))).isEqualTo(weights);
    assertThat(hub.requestsFor("/cdn/")).hasSize(2);
  }

  @Test
  void a_corrupted_download_is_rejected_and_fetched_again() throws IOException {
    hub.corrupt("model.safetensors", 1);
    hub.corrupt("config.json", 1); // a regular file: checked against its git blob id
    try (LogCapture logs = new LogCapture()) {
      HubRepo model = client().build().model(ID);
      assertThat(Files.readAllBytes(model.file("model.safetensors"))).isEqualTo(weights);
      assertThat(Files.readString(model.file("config.json"))).isEqualTo(CONFIG);
      assertThat(logs.all()).contains("failed its check").contains("sha256").contains("git blob id");
    }
    assertThat(hub.requestsFor("/cdn/")).hasSize(2);
    assertThat(hub.requestsFor("/resolve/" + C1 + "/config.json")).hasSize(2);
  }

  @Test
  void a_download_corrupted_twice_is_refused_and_nothing_is_cached() throws IOException {
    hub.corrupt("model.safetensors", 2);
    assertThatThrownBy(() -> client().build().model(ID).file("model.safetensors"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("integrity check")
        .hasMessageContaining("expected " + repo.sha256("model.safetensors"));
    try (Stream<Path> walk = Files.walk(repoDir())) {
      assertThat(walk.filter(Files::isRegularFile).map(p -> repoDir().relativize(p).toString()))
          .noneMatch(p -> p.startsWith("blobs/") || p.startsWith("snapshots/"));
    }
  }

  @Test
  void a_corrupt_partial_file_is_detected_after_resuming_and_replaced() throws IOException {
    Path partial = repoDir().resolve("blobs/" + repo.sha256("model.safetensors") + ".incomplete");
    Files.createDirectories(partial.getParent());
    Files.write(partial, FakeHub.bytes(5000, 99)); // not a prefix of the real file

    assertThat(Files.readAllBytes(client().build().model(ID).file("model.safetensors"))).isEqualTo(weights);

    List<FakeHub.Request> cdn = hub.requestsFor("/cdn/");
    assertThat(cdn).hasSize(2);
    assertThat(cdn.get(0).range()).isEqualTo("bytes=5000-");
    assertThat(cdn.get(1).range()).isNull();
  }

  @Test
  void sizes_are_checked_against_the_listing() {
    hub.sendExtraBytes("model.safetensors", 10);
    assertThatThrownBy(() -> client().build().model(ID).file("model.safetensors"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing model.safetensors")
        .hasMessageContaining("listing promised " + weights.length);

    hub.announceLinkedSize("onnx/model.onnx", 999);
    assertThatThrownBy(() -> client().build().model(ID).file("onnx/model.onnx"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("announces 999 bytes");
    assertThat(Files.exists(repoDir().resolve("snapshots/" + C1 + "/onnx/model.onnx"))).isFalse();
  }

  @Test
  void unknown_repo_gives_a_clear_401_error() {
    assertThatThrownBy(() -> client().build().model("acme/does-not-exist").file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model 'acme/does-not-exist' was not found on " + hub.url())
        .hasMessageContaining("HTTP 401 RepoNotFound")
        .hasMessageContaining("set HF_TOKEN");
  }

  @Test
  void private_repo_needs_the_token_which_is_sent_as_bearer_and_never_leaks() throws IOException {
    String secret = "hf_SeCrEtToKeN1234567890abcdef";
    repo.token = secret;
    try (LogCapture logs = new LogCapture()) {
      ModelLoadException noToken = catchLoad(() -> client().build().model(ID).file("config.json"));
      assertThat(noToken).hasMessageContaining("HTTP 401").hasMessageContaining("set HF_TOKEN");

      ModelLoadException wrong = catchLoad(() -> client().token("hf_wrongtoken").build().model(ID).file("config.json"));
      assertThat(wrong).hasMessageContaining("the token sent has no access").hasMessageNotContaining("hf_wrongtoken");
      assertThat(wrong.getMessage()).contains("you sent: Bearer " + Credentials.mask("hf_wrongtoken")); // the server echoed it: masked

      HubClient good = client().token(secret).progressListener(ProgressListener.logging()).build();
      HubRepo model = good.model(ID);
      assertThat(Files.readAllBytes(model.file("model.safetensors"))).isEqualTo(weights);
      assertThat(hub.requestsFor("/revision/main").get(2).authorization()).isEqualTo("Bearer " + secret);

      // a failure after authentication: the message names the fix, not the token
      hub.forceStatus("config.json", 500);
      ModelLoadException failed = catchLoad(() -> good.model(ID).file("config.json"));

      assertThat(good.toString()).doesNotContain(secret).contains("token=" + Credentials.mask(secret));
      assertThat(good.toBuilder().toString()).doesNotContain(secret);
      assertThat(model.toString()).doesNotContain(secret);
      for (Throwable t : List.of(noToken, wrong, failed)) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          assertThat(String.valueOf(c.getMessage())).doesNotContain(secret);
        }
      }
      assertThat(logs.records()).isNotEmpty();
      assertThat(logs.all()).doesNotContain(secret).doesNotContain("hf_wrongtoken");
    }
  }

  @Test
  void gated_repo_says_how_to_get_access() {
    repo.gated = true;
    assertThatThrownBy(() -> client().token("hf_abc").build().model(ID).file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("HTTP 403 GatedRepo")
        .hasMessageContaining("Request access at " + hub.url() + "/" + ID);
  }

  @Test
  void missing_revision_and_missing_file_give_clear_404_errors() {
    assertThatThrownBy(() -> client().build().model(ID, "v9.9").file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("revision 'v9.9' does not exist in model '" + ID + "'")
        .hasMessageContaining("HTTP 404 RevisionNotFound");

    HubRepo model = client().build().model(ID);
    assertThatThrownBy(() -> model.file("pytorch_model.bin"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no pytorch_model.bin")
        .hasMessageContaining("files there: config.json, model.safetensors");
    assertThat(model.optionalFile("pytorch_model.bin")).isEmpty();
    assertThat(hub.requestsFor("pytorch_model.bin")).as("the listing answers it").isEmpty();

    // the listing says it exists, the resolve route says it does not
    hub.forceStatus("/resolve/" + C1 + "/tokenizer.json", 404);
    assertThatThrownBy(() -> model.file("tokenizer.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.json of model '" + ID + "' (revision main) does not exist on the Hub (HTTP 404)");
  }

  @Test
  void server_errors_are_retried_then_reported() {
    hub.forceStatus("/api/models/", 500);
    assertThatThrownBy(() -> client().maxRetries(2).build().model(ID).file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("failed while serving model '" + ID + "' (revision main) (HTTP 500)")
        .hasMessageContaining("try again later")
        .hasMessageContaining("forced failure");
    assertThat(hub.requestsFor("/api/models/")).hasSize(3);

    hub.clearForcedStatus();
    hub.forceStatus("/cdn/", 503);
    hub.clearRequests();
    assertThatThrownBy(() -> client().maxRetries(1).build().model(ID).file("model.safetensors"))
        .hasMessageContaining("HTTP 503");
    assertThat(hub.requestsFor("/cdn/")).hasSize(2);
  }

  @Test
  void an_unreachable_endpoint_names_the_network_and_the_alternatives() throws IOException {
    String url = hub.url();
    hub.close();
    assertThatThrownBy(() -> HubClient.builder().endpoint(url).cacheDir(cache).build().model(ID).file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cannot reach the Hub at " + url)
        .hasMessageContaining("HF_HUB_OFFLINE=1")
        .hasMessageContaining("local model folder");
  }

  @Test
  void hostile_file_names_from_the_server_are_refused() throws IOException {
    repo.extraListedNames.addAll(
        List.of("../../../evil.txt", "/etc/passwd", "a/../../b.txt", "dir\\..\\x", "c:/x", "ok/\u0000nul", "..", "./config.json"));
    HubRepo model;
    try (LogCapture logs = new LogCapture()) {
      model = client().build().model(ID);
      assertThat(model.files()).containsExactly("config.json", "model.safetensors", "onnx/model.onnx", "tokenizer.json");
      assertThat(logs.all()).contains("refusing file name '../../../evil.txt'").contains("\\u0000");
    }
    assertThatThrownBy(() -> model.file("../../../evil.txt")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> model.optionalFile("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThat(model.matching("**")).hasSize(4);
    try (Stream<Path> walk = Files.walk(tmp)) {
      assertThat(walk.filter(p -> p.getFileName().toString().contains("evil"))).isEmpty();
    }
  }

  @Test
  void redirects_are_followed_only_to_https_or_the_same_origin() {
    hub.redirectLfsTo("http://evil.invalid:8080/steal?sig=1");
    assertThatThrownBy(() -> client().build().model(ID).file("model.safetensors"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing a redirect")
        .hasMessageContaining("http://evil.invalid:8080/steal")
        .hasMessageNotContaining("sig=1");
    hub.redirectLfsTo("file:///etc/passwd");
    assertThatThrownBy(() -> client().build().model(ID).file("model.safetensors")).hasMessageContaining("refusing a redirect");
    assertThat(repoDir().resolve("snapshots/" + C1 + "/model.safetensors")).doesNotExist();
  }

  @Test
  void a_listing_without_blob_metadata_falls_back_to_head_requests() throws IOException {
    hub.listBlobs(false);
    HubRepo model = client().build().model(ID);
    assertThat(Files.readAllBytes(model.file("model.safetensors"))).isEqualTo(weights);
    assertThat(Files.readString(model.file("config.json"))).isEqualTo(CONFIG);
    assertThat(hub.requests().stream().filter(r -> r.method().equals("HEAD"))).hasSize(2);
    assertThat(Files.readSymbolicLink(model.file("model.safetensors")).toString())
        .isEqualTo("../../blobs/" + repo.sha256("model.safetensors"));
    assertThat(Files.exists(repoDir().resolve("trees/" + C1 + ".json"))).as("incomplete listings are not cached").isFalse();
  }

  @Test
  void two_threads_loading_the_same_model_download_each_blob_once() throws Exception {
    hub.throttle(1_000_000); // ~0.3 s for the weights, so the loads overlap
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    HubRepo shared = client().build().model(ID);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        // two threads share one HubRepo, two use their own client and repo
        HubRepo model = i % 2 == 0 ? shared : client().build().model(ID);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  model.file("config.json");
                  return model.file("model.safetensors");
                }));
      }
      go.countDown();
      for (Future<Path> f : results) {
        assertThat(Files.readAllBytes(f.get(30, TimeUnit.SECONDS))).isEqualTo(weights);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hub.requestsFor("/cdn/")).hasSize(1);
    assertThat(hub.requestsFor("/resolve/" + C1 + "/config.json")).hasSize(1);
  }

  @Test
  void datasets_use_their_own_routes_and_cache_folder() throws IOException {
    FakeHub.Repo ds = hub.dataset("BeIR/scifact-mini", C2).file("corpus.jsonl", "{\"_id\": \"1\"}\n").lfsFile("qrels/test.tsv", FakeHub.bytes(2000, 3));

    HubRepo dataset = client().build().dataset("BeIR/scifact-mini");
    assertThat(Files.readString(dataset.file("corpus.jsonl"))).isEqualTo("{\"_id\": \"1\"}\n");
    assertThat(Files.readAllBytes(dataset.file("qrels/test.tsv"))).isEqualTo(ds.files.get("qrels/test.tsv"));

    assertThat(dataset.file("corpus.jsonl")).isEqualTo(cache.resolve("datasets--BeIR--scifact-mini/snapshots/" + C2 + "/corpus.jsonl"));
    assertThat(hub.requestsFor("/api/datasets/BeIR/scifact-mini/revision/main")).hasSize(1);
    assertThat(hub.requestsFor("/datasets/BeIR/scifact-mini/resolve/" + C2 + "/corpus.jsonl")).hasSize(1);
    assertThat(dataset.matching("*.jsonl")).containsOnlyKeys("corpus.jsonl");
    assertThat(dataset.matching("**/*.tsv")).containsOnlyKeys("qrels/test.tsv");
  }

  @Test
  void a_revision_is_resolved_once_and_trusted_until_refresh_is_asked() throws IOException {
    client().build().model(ID).file("config.json");
    // main moves to a new commit upstream
    FakeHub.Repo moved = hub.model(ID, C2).file("config.json", "{\"model_type\": \"roberta\"}");
    assertThat(moved.refs.get("main")).isEqualTo(C2);
    hub.clearRequests();

    assertThat(Files.readString(client().build().model(ID).file("config.json"))).isEqualTo(CONFIG);
    assertThat(hub.requests()).isEmpty();

    HubRepo fresh = client().refreshRevisions(true).build().model(ID);
    assertThat(Files.readString(fresh.file("config.json"))).isEqualTo("{\"model_type\": \"roberta\"}");
    assertThat(fresh.commit()).isEqualTo(C2);
    assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(C2);
    // the old snapshot is still there for whoever pinned it
    assertThat(Files.readString(client().offline(true).build().model(ID, C1).file("config.json"))).isEqualTo(CONFIG);
  }

  @Test
  void tags_and_pr_refs_are_url_encoded_and_stored_under_refs() throws IOException {
    repo.refs.put("refs/pr/1", C1);
    repo.refs.put("v1.0", C1);
    client().build().model(ID, "refs/pr/1").file("config.json");
    client().build().model(ID, "v1.0").file("config.json");
    assertThat(hub.requestsFor("/revision/refs%2Fpr%2F1")).hasSize(1);
    assertThat(Files.readString(repoDir().resolve("refs/refs/pr/1"))).isEqualTo(C1);
    assertThat(Files.readString(repoDir().resolve("refs/v1.0"))).isEqualTo(C1);
    assertThatThrownBy(() -> client().build().model(ID, "../../etc")).hasMessageContaining("refusing revision");
  }

  @Test
  void without_symlinks_snapshot_entries_are_copies() throws IOException {
    Path st = client().symlinks(false).build().model(ID).file("model.safetensors");
    assertThat(Files.isSymbolicLink(st)).isFalse();
    assertThat(Files.readAllBytes(st)).isEqualTo(weights);
    assertThat(HubClient.builderFromEnvironment(Map.of("HF_HUB_DISABLE_SYMLINKS", "1"), "/h").build().model(ID).toString()).isNotEmpty();
  }

  @Test
  void file_names_are_percent_encoded_in_urls() throws IOException {
    repo.file("docs/read me+[1].txt", "hello");
    assertThat(Files.readString(client().build().model(ID).file("docs/read me+[1].txt"))).isEqualTo("hello");
    assertThat(hub.requestsFor("/resolve/")).singleElement().satisfies(r -> assertThat(r.path()).endsWith("/docs/read%20me%2B%5B1%5D.txt"));
  }

  @Test
  void a_listener_that_throws_does_not_break_the_download() throws IOException {
    HubClient c = client().progressListener(p -> { throw new IllegalStateException("listener bug"); }).build();
    assertThat(Files.readAllBytes(c.model(ID).file("model.safetensors"))).isEqualTo(weights);
  }

  /** The exception of that type the call throws; fails the test when it throws another or none. */
  static <T extends Throwable> T catchType(Class<T> type, Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      throw new AssertionError("expected a " + type.getSimpleName() + ", got " + t, t);
    }
    throw new AssertionError("expected a " + type.getSimpleName() + ", nothing was thrown");
  }

  static ModelLoadException catchLoad(Runnable r) {
    try {
      r.run();
    } catch (ModelLoadException e) {
      return e;
    }
    throw new AssertionError("expected a ModelLoadException");
  }
}
