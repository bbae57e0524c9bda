package dev.rerankers.transformers.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph cache on real files: keys follow content, a stored graph is reused without building,
 * a damaged or tampered one is rebuilt, concurrent builders leave one sound graph and no
 * temporary folders, and graphs of Hub models sit beside (never inside) the snapshots.
 */
class GraphCacheTest {
  @TempDir
  Path tmp;

  static GraphCache.Builder writing(String content, AtomicInteger calls) {
    return folder -> {
      calls.incrementAndGet();
      Files.writeString(folder.resolve("model.onnx"), content);
      return Map.of("numLabels", "1", "note", content);
    };
  }

  @Test
  void should_build_once_then_reuse_with_its_metadata() {
    AtomicInteger calls = new AtomicInteger();
    GraphCache.Entry first = GraphCache.obtain(tmp, "k1", writing("graph-a", calls));
    GraphCache.Entry second = GraphCache.obtain(tmp, "k1", writing("graph-b", calls));
    assertThat(first.built()).isTrue();
    assertThat(second.built()).isFalse();
    assertThat(calls).hasValue(1);
    assertThat(second.folder()).isEqualTo(tmp.resolve("k1"));
    assertThat(second.metadata()).containsEntry("note", "graph-a").containsEntry("numLabels", "1");
    assertThat(tmp.resolve("k1/graph.json")).content().contains("\"sha256\"", "\"model.onnx\"");
  }

  @Test
  void should_rebuild_a_graph_whose_bytes_no_longer_match_its_manifest() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    GraphCache.obtain(tmp, "k", writing("graph-a", calls));
    Files.writeString(tmp.resolve("k/model.onnx"), "graph-x"); // same size, other bytes
    GraphCache.Entry again = GraphCache.obtain(tmp, "k", writing("graph-b", calls));
    assertThat(again.built()).isTrue();
    assertThat(calls).hasValue(2);
    assertThat(tmp.resolve("k/model.onnx")).hasContent("graph-b");
    Files.delete(tmp.resolve("k/model.onnx"));
    assertThat(GraphCache.obtain(tmp, "k", writing("graph-c", calls)).built()).isTrue();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void should_refuse_a_manifest_that_points_outside_its_folder() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    GraphCache.obtain(tmp, "k", writing("graph-a", calls));
    Files.writeString(tmp.resolve("secret"), "s");
    String manifest = Files.readString(tmp.resolve("k/graph.json"))
        .replace("\"model.onnx\": {", "\"../secret\": {\"size\": 1, \"sha256\": \"x\"}, \"model.onnx\": {");
    Files.writeString(tmp.resolve("k/graph.json"), manifest);
    assertThat(GraphCache.verified(tmp.resolve("k"))).isEmpty();
    Files.writeString(tmp.resolve("k/graph.json"), "[1, 2]");
    assertThat(GraphCache.verified(tmp.resolve("k"))).isEmpty();
    assertThat(GraphCache.obtain(tmp, "k", writing("graph-b", calls)).built()).isTrue();
  }

  @Test
  void should_leave_one_sound_graph_when_builders_race() throws Exception {
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    try {
      List<Future<GraphCache.Entry>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return GraphCache.obtain(tmp, "race", writing("graph", calls));
        }));
      }
      start.countDown();
      for (Future<GraphCache.Entry> f : futures) {
        assertThat(f.get().folder()).isEqualTo(tmp.resolve("race"));
        assertThat(f.get().metadata()).containsEntry("note", "graph");
      }
    } finally {
      pool.shutdown();
    }
    assertThat(GraphCache.verified(tmp.resolve("race"))).isPresent();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void should_name_the_folder_when_the_graph_cannot_be_stored() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> GraphCache.obtain(file, "k", writing("g", new AtomicInteger())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("graphCache");
  }

  @Test
  void should_key_by_content_library_and_what_is_recorded() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.safetensors"), "weights-1");
    String k1 = GraphCache.key(tmp.resolve("graphs"), List.of(a), "sequence-classifier", "FP32");
    assertThat(k1).matches("[0-9a-f]{64}").isEqualTo(GraphCache.key(tmp.resolve("graphs"), List.of(a), "sequence-classifier", "FP32"));
    assertThat(GraphCache.key(tmp.resolve("graphs"), List.of(a), "sequence-classifier", "INT8")).isNotEqualTo(k1);
    Files.writeString(a, "weights-2");
    assertThat(GraphCache.key(tmp.resolve("graphs"), List.of(a), "sequence-classifier", "FP32")).isNotEqualTo(k1);
    // a Hub snapshot entry: the blob's name is its SHA-256, used without reading the bytes
    String sha = "ab".repeat(32);
    Path blobs = Files.createDirectories(tmp.resolve("repo/blobs"));
    Files.writeString(blobs.resolve(sha), "not what the name says");
    Path snap = Files.createDirectories(tmp.resolve("repo/snapshots/c0ffee"));
    Path link = Files.createSymbolicLink(snap.resolve("model.safetensors"), Path.of("../../blobs/" + sha));
    assertThat(GraphCache.contentHash(link)).isEqualTo(sha);
    assertThat(GraphCache.contentHash(a)).isEqualTo(GraphCache.sha256(a)).isNotEqualTo(sha);
  }

  /**
   * Loads skip re-reading an unchanged checkpoint or graph (a gigabyte is seconds of hashing): the
   * remembered hash and the verified stamps are used while the files' stamps stay the same (shown by
   * editing what is remembered and seeing it used), and a rewrite of the same size is noticed.
   */
  @Test
  void should_reuse_remembered_hashes_until_a_file_changes() throws Exception {
    Path root = tmp.resolve("graphs");
    Path a = Files.writeString(tmp.resolve("b.safetensors"), "weights-1");
    AtomicInteger calls = new AtomicInteger();
    GraphCache.obtain(root, "k", writing("graph-a", calls));
    Assumptions.assumeTrue(FileStamp.of(a).isPresent(), "no unix:ctime/ino on this platform");
    Thread.sleep(FileStamp.SETTLE_NANOS / 1_000_000 + 200); // only settled stamps are remembered
    String real = GraphCache.key(root, List.of(a), "x");
    assertThat(GraphCache.verified(root.resolve("k"))).isPresent();
    assertThat(root.resolve("k/graph.verified")).exists();
    try (Stream<Path> memos = Files.list(root.resolve(".hashes"))) {
      Path memo = memos.findFirst().orElseThrow();
      List<String> lines = Files.readAllLines(memo);
      assertThat(lines.get(1)).isEqualTo(GraphCache.sha256(a));
      Files.write(memo, List.of(lines.get(0), "cd".repeat(32)));
      assertThat(GraphCache.key(root, List.of(a), "x")).as("remembered hash used").isNotEqualTo(real);
    }
    Files.writeString(a, "weights-2"); // same size, new bytes: the change time moves
    assertThat(GraphCache.contentHash(root, a)).isEqualTo(GraphCache.sha256(a));

    Path manifest = root.resolve("k/graph.json");
    String text = Files.readString(manifest);
    String recorded = GraphCache.sha256(root.resolve("k/model.onnx"));
    Files.writeString(manifest, text.replace(recorded, "ef".repeat(32)));
    assertThat(GraphCache.verified(root.resolve("k"))).as("unchanged stamps: not re-hashed").isPresent();
    Files.writeString(manifest, text);
    Files.writeString(root.resolve("k/model.onnx"), "graph-x"); // same size, other bytes
    assertThat(GraphCache.verified(root.resolve("k"))).isEmpty();
    assertThat(GraphCache.obtain(root, "k", writing("graph-b", calls)).built()).isTrue();
  }

  @Test
  void should_keep_hub_graphs_beside_the_snapshots_and_local_ones_in_the_rerankers_cache() throws IOException {
    Path snapshot = Files.createDirectories(tmp.resolve("hub/models--org--name/snapshots/0123abcd"));
    ModelSource hub = new FakeSource(false, snapshot);
    assertThat(GraphCache.root(hub, Optional.empty())).isEqualTo(tmp.resolve("hub/models--org--name/rerankers-graphs"));
    assertThat(GraphCache.root(hub, Optional.of(tmp.resolve("x")))).isEqualTo(tmp.resolve("x"));
    assertThat(dev.rerankers.hub.RerankersCache.root(Map.of("RERANKERS_CACHE", "/r/c"), "/home/u")).isEqualTo(Path.of("/r/c"));
    assertThat(dev.rerankers.hub.RerankersCache.root(Map.of("XDG_CACHE_HOME", "/x"), "/home/u")).isEqualTo(Path.of("/x/rerankers"));
    assertThat(dev.rerankers.hub.RerankersCache.root(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/rerankers"));
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().contains(".tmp-") || p.getFileName().toString().contains(".old-"))
          .toList();
    }
  }

  private record FakeSource(boolean isLocal, Path directory) implements ModelSource {
    public String id() {
      return "org/name";
    }

    public Path file(String path) {
      return directory.resolve(path);
    }

    public Optional<Path> optionalFile(String path) {
      return Optional.of(directory.resolve(path)).filter(Files::exists);
    }

    public List<String> files() {
      return List.of();
    }
  }
}
