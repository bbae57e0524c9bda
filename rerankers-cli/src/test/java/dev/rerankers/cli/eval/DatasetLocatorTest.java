package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.hub.HubClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --dataset} with Hugging Face dataset ids, through core's Hub client against {@link
 * MiniHub} (a real local HTTP server speaking the Hub's routes), serving the bundled sample's files.
 */
class DatasetLocatorTest {
  private static final Path SAMPLE = Path.of("../examples/datasets/scifact-sample");

  @TempDir Path tmp;
  MiniHub hub;
  HubClient client;
  byte[] corpus;
  byte[] queries;
  byte[] qrels;

  @BeforeEach
  void start() throws IOException {
    hub = new MiniHub();
    client = hub.client(tmp.resolve("cache"));
    corpus = Files.readAllBytes(SAMPLE.resolve("corpus.jsonl"));
    queries = Files.readAllBytes(SAMPLE.resolve("queries.jsonl"));
    qrels = Files.readAllBytes(SAMPLE.resolve("qrels/test.tsv"));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void a_hub_dataset_in_the_beir_layout_reads_like_the_folder() {
    hub.dataset("mteb/scifact-sample", Map.of(
        "corpus.jsonl", corpus, "queries.jsonl", queries, "qrels/test.tsv", qrels, "README.md", new byte[100]));
    DatasetFiles files = DatasetLocator.locate("mteb/scifact-sample", "test", () -> client);
    assertThat(files.corpus()).startsWith(tmp.resolve("cache/datasets--mteb--scifact-sample"));
    BeirDataset fromHub = BeirReader.read(files, "test", "mteb/scifact-sample");
    BeirDataset local = BeirReader.read(SAMPLE, "test");
    assertThat(fromHub.corpus()).isEqualTo(local.corpus());
    assertThat(fromHub.queries()).isEqualTo(local.queries());
    assertThat(fromHub.qrels()).isEqualTo(local.qrels());
    // only the three files were downloaded
    assertThat(hub.requests("/datasets/mteb/scifact-sample/resolve/")).isEqualTo(3);
  }

  @Test
  void beir_uploads_keep_gzipped_files_and_qrels_in_a_companion_repository() throws IOException {
    hub.dataset("BeIR/scifact-sample", Map.of("corpus.jsonl.gz", gzip(corpus), "queries.jsonl.gz", gzip(queries)));
    hub.dataset("BeIR/scifact-sample-qrels", Map.of("test.tsv", qrels));
    DatasetFiles files = DatasetLocator.locate("BeIR/scifact-sample", "test", () -> client);
    assertThat(files.qrels()).startsWith(tmp.resolve("cache/datasets--BeIR--scifact-sample-qrels"));
    assertThat(BeirReader.read(files, "test", "x").corpus()).hasSize(185);
    assertThatThrownBy(() -> DatasetLocator.locate("BeIR/scifact-sample", "dev", () -> client))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("neither Hub dataset BeIR/scifact-sample nor BeIR/scifact-sample-qrels has qrels for split 'dev'");
  }

  @Test
  void a_hub_dataset_in_another_layout_or_missing_is_explained() {
    hub.dataset("acme/parquet-only", Map.of("data/test-00000.parquet", new byte[10]));
    assertThatThrownBy(() -> DatasetLocator.locate("acme/parquet-only", "test", () -> client))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("is not in the BEIR layout; its files: [data/test-00000.parquet]");
    assertThatThrownBy(() -> DatasetLocator.locate("acme/nothing-here", "test", () -> client))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("'acme/nothing-here' is not a local folder, and the Hub dataset could not be listed");
  }

  @Test
  void offline_with_an_empty_cache_fails_before_any_request() {
    HubClient offline = client.toBuilder().offline(true).build();
    assertThatThrownBy(() -> DatasetLocator.locate("mteb/scifact-sample", "test", () -> offline))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("mteb/scifact-sample");
    assertThat(hub.requests("/")).isZero();
  }

  @Test
  void folders_and_bad_names() {
    assertThat(DatasetLocator.locate(SAMPLE.toString(), "test", () -> client).corpus())
        .isEqualTo(SAMPLE.resolve("corpus.jsonl"));
    assertThatThrownBy(() -> DatasetLocator.locate("/no/such/dir", "test", () -> client))
        .hasMessageContaining("dataset folder /no/such/dir does not exist");
    assertThatThrownBy(() -> DatasetLocator.locate(SAMPLE.resolve("corpus.jsonl").toString(), "test", () -> client))
        .hasMessageContaining("is a file");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
