package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches written by Python's {@code huggingface_hub} are read as they are: the one huggingface_hub
 * 1.23.0 really wrote ({@code python-cache.tar}, made by {@link PythonInteropTest}), and layouts
 * built here by hand from huggingface_hub's documentation, including older and Windows variants.
 */
class PythonCacheTest {
  @TempDir Path tmp;

  private Path extractPythonCache() throws IOException {
    Path cache = tmp.resolve("py-cache");
    try (InputStream in = PythonCacheTest.class.getResourceAsStream("/hub/python-cache.tar")) {
      InteropFixture.untar(in, cache);
    }
    return cache;
  }

  @Test
  void the_cache_huggingface_hub_wrote_is_read_offline() throws IOException {
    Path cache = extractPythonCache();
    HubClient offline = HubClient.builder().cacheDir(cache).offline(true).build();

    HubRepo model = offline.model(InteropFixture.MODEL);
    for (Map.Entry<String, byte[]> f : InteropFixture.modelFiles().entrySet()) {
      Path p = model.file(f.getKey());
      assertThat(Files.readAllBytes(p)).as(f.getKey()).isEqualTo(f.getValue());
      assertThat(Files.isSymbolicLink(p)).isTrue();
    }
    assertThat(model.commit()).isEqualTo(InteropFixture.MODEL_COMMIT);
    assertThat(model.optionalFile("tokenizer_config.json")).as("Python's .no_exist marker").isEmpty();
    assertThat(model.files()).as("Python's trees/<commit>.json")
        .containsExactly("config.json", "model.safetensors", "onnx/model.onnx", "tokenizer.json");
    assertThat(model.matching("**/*.onnx")).containsOnlyKeys("onnx/model.onnx");

    HubRepo data = offline.dataset(InteropFixture.DATASET);
    for (Map.Entry<String, byte[]> f : InteropFixture.datasetFiles().entrySet()) {
      assertThat(Files.readAllBytes(data.file(f.getKey()))).isEqualTo(f.getValue());
    }
    assertThat(data.files()).as("no tree cached: the snapshot's files").containsExactly("corpus.jsonl", "qrels/test.tsv");
  }

  @Test
  void online_the_python_cache_costs_no_request_and_missing_files_come_from_its_commit() throws IOException {
    Path cache = extractPythonCache();
    try (FakeHub hub = InteropFixture.hub()) {
      FakeHub.Repo data = hub.dataset(InteropFixture.DATASET, InteropFixture.DATASET_COMMIT);
      InteropFixture.datasetFiles().forEach(data::file);
      data.file("queries.jsonl", "{\"_id\": \"q1\"}\n");
      HubClient online = HubClient.builder().endpoint(hub.url()).cacheDir(cache).build();

      HubRepo model = online.model(InteropFixture.MODEL);
      model.require(List.copyOf(InteropFixture.modelFiles().keySet()));
      assertThat(model.optionalFile("tokenizer_config.json")).isEmpty();
      assertThat(model.files()).hasSize(4);
      assertThat(online.dataset(InteropFixture.DATASET).file("corpus.jsonl")).exists();
      assertThat(hub.requests()).isEmpty();

      Path queries = online.dataset(InteropFixture.DATASET).file("queries.jsonl");
      assertThat(Files.readString(queries)).isEqualTo("{\"_id\": \"q1\"}\n");
      assertThat(queries.getParent()).isEqualTo(cache.resolve("datasets--acme--interop-data/snapshots/" + InteropFixture.DATASET_COMMIT));
      assertThat(hub.requestsFor("/api/datasets/acme/interop-data/revision/" + InteropFixture.DATASET_COMMIT)).hasSize(1);
    }
  }

  /** The layout from huggingface_hub's cache guide, built by hand: relative symlinks, refs for a branch and a tag. */
  @Test
  void a_hand_built_layout_with_relative_symlinks_is_read() throws IOException {
    Path cache = tmp.resolve("hand");
    String commit = "2439f60ef33a0d46d85da5001d52aeda5b00ce9f";
    Path root = cache.resolve("models--julien-c--EsperBERTo-small");
    byte[] readme = "# EsperBERTo\n".getBytes(StandardCharsets.UTF_8);
    byte[] weights = FakeHub.bytes(4096, 5);
    String readmeBlob = FakeHub.gitBlobId(readme);
    String weightsBlob = FakeHub.hex("SHA-256", weights);
    Files.createDirectories(root.resolve("blobs"));
    Files.write(root.resolve("blobs").resolve(readmeBlob), readme);
    Files.write(root.resolve("blobs").resolve(weightsBlob), weights);
    Files.createDirectories(root.resolve("refs"));
    Files.writeString(root.resolve("refs/main"), commit);
    Files.writeString(root.resolve("refs/v1.0"), commit + "\n"); // tolerated
    Path snap = root.resolve("snapshots").resolve(commit);
    Files.createDirectories(snap.resolve("onnx"));
    Files.createSymbolicLink(snap.resolve("README.md"), Path.of("../../blobs/" + readmeBlob));
    Files.createSymbolicLink(snap.resolve("pytorch_model.bin"), Path.of("../../blobs/" + weightsBlob));
    Files.createSymbolicLink(snap.resolve("onnx/model.onnx"), Path.of("../../../blobs/" + weightsBlob));
    Files.createDirectories(root.resolve(".no_exist").resolve(commit));
    Files.createFile(root.resolve(".no_exist").resolve(commit).resolve("config.json"));

    try (FakeHub hub = new FakeHub()) { // knows no repo: any request would fail the load
      HubClient client = HubClient.builder().endpoint(hub.url()).cacheDir(cache).build();
      for (String rev : List.of("main", "v1.0", commit)) {
        HubRepo r = client.model("julien-c/EsperBERTo-small", rev);
        assertThat(Files.readAllBytes(r.file("README.md"))).isEqualTo(readme);
        assertThat(Files.readAllBytes(r.file("pytorch_model.bin"))).isEqualTo(weights);
        assertThat(Files.readAllBytes(r.file("onnx/model.onnx"))).isEqualTo(weights);
        assertThat(r.optionalFile("config.json")).isEmpty();
        assertThat(r.commit()).isEqualTo(commit);
        assertThat(r.directory()).isEqualTo(snap);
      }
      assertThat(hub.requests()).isEmpty();
      assertThat(client.offline()).isFalse();
      assertThat(HubClient.builder().cacheDir(cache).offline(true).build().model("julien-c/EsperBERTo-small").files())
          .containsExactly("README.md", "onnx/model.onnx", "pytorch_model.bin");
    }
  }

  /** Older huggingface_hub versions wrote absolute symlinks; on Windows without symlinks, snapshots hold copies. */
  @Test
  void absolute_symlinks_and_copied_snapshots_are_read() throws IOException {
    Path cache = tmp.resolve("variants");
    String commit = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd";
    byte[] config = "{\"model_type\": \"xlm-roberta\"}".getBytes(StandardCharsets.UTF_8);
    String blob = FakeHub.gitBlobId(config);

    Path abs = cache.resolve("models--org--absolute");
    Files.createDirectories(abs.resolve("blobs"));
    Files.write(abs.resolve("blobs").resolve(blob), config);
    Files.createDirectories(abs.resolve("snapshots").resolve(commit));
    Files.createSymbolicLink(abs.resolve("snapshots").resolve(commit).resolve("config.json"), abs.resolve("blobs").resolve(blob));
    Files.createDirectories(abs.resolve("refs"));
    Files.writeString(abs.resolve("refs/main"), commit);

    Path copies = cache.resolve("models--org--copies");
    Files.createDirectories(copies.resolve("snapshots").resolve(commit));
    Files.write(copies.resolve("snapshots").resolve(commit).resolve("config.json"), config);
    Files.createDirectories(copies.resolve("refs"));
    Files.writeString(copies.resolve("refs/main"), commit);

    HubClient offline = HubClient.builder().cacheDir(cache).offline(true).build();
    assertThat(Files.readAllBytes(offline.model("org/absolute").file("config.json"))).isEqualTo(config);
    assertThat(Files.readAllBytes(offline.model("org/copies").file("config.json"))).isEqualTo(config);
    // a snapshot entry whose blob is gone (a broken symlink) is not a cached file
    Files.delete(abs.resolve("blobs").resolve(blob));
    assertThatThrownBy(() -> offline.model("org/absolute").file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not in the cache");
  }

  @Test
  void a_malformed_ref_is_ignored() throws IOException {
    Path root = tmp.resolve("c/models--org--bad");
    Files.createDirectories(root.resolve("refs"));
    Files.writeString(root.resolve("refs/main"), "../../../../etc");
    HubClient offline = HubClient.builder().cacheDir(tmp.resolve("c")).offline(true).build();
    assertThatThrownBy(() -> offline.model("org/bad").file("config.json"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is not in the cache");
  }
}
