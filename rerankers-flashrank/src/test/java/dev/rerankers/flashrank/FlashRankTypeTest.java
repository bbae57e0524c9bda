package dev.rerankers.flashrank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.Document;
import dev.rerankers.ModelLoadException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.internal.FlashRankLoader;
import dev.rerankers.flashrank.internal.FlashRankSettings;
import dev.rerankers.flashrank.internal.OnnxCrossEncoderScorer;
import dev.rerankers.hub.HubClient;
import dev.rerankers.hub.ProgressListener;
import dev.rerankers.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flashrank type against a local HTTP server playing the Hub's {@code prithivida/flashrank}
 * repository: FlashRank-shaped zips (folder {@code <name>/} with the catalogue's ONNX file name,
 * tokenizer and config files) made from the golden-e2e BERT (one logit) and monoBERT (two
 * logits, int8) cross-encoders. Scores must equal what FlashRank's own steps give in Python
 * (make_fixtures.py: tokenizers + onnxruntime + numpy, sigmoid / softmax column 1) within 1e-5.
 */
class FlashRankTypeTest {
  static final double TOLERANCE = 1e-5;

  @TempDir Path tmp;
  FakeHubServer hub;

  @BeforeEach
  void serve() throws Exception {
    hub = new FakeHubServer(FlashRankModels.REPO);
    Path bert = Fixtures.path("e2e/bert");
    Path monobert = Fixtures.path("e2e/monobert");
    hub.put("ms-marco-TinyBERT-L-2-v2.zip", Zips.flashRankZip("ms-marco-TinyBERT-L-2-v2", bert,
        bert.resolve("onnx/model.onnx"), "flashrank-TinyBERT-L-2-v2.onnx"));
    hub.put("ms-marco-MultiBERT-L-12.zip", Zips.flashRankZip("ms-marco-MultiBERT-L-12", monobert,
        monobert.resolve("onnx/model_quantized.onnx"), "flashrank-MultiBERT-L12_Q.onnx"));
    hub.put("ce-esci-MiniLM-L12-v2.zip", Zips.zip(Map.of(
        "ce-esci-MiniLM-L12-v2/config.json", "{}".getBytes(StandardCharsets.UTF_8),
        "../../escaped.txt", "pwned".getBytes(StandardCharsets.UTF_8))));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  HubClient client() {
    return HubClient.builder().endpoint(hub.url()).cacheDir(tmp.resolve("hub")).progressListener(ProgressListener.none())
        .build();
  }

  OnnxCrossEncoderScorer load(RerankerSpec spec) {
    return FlashRankLoader.load(spec, FlashRankSettings.of(Fixtures.options(spec)), client());
  }

  RerankerSpec spec(String name, String... options) {
    Reranker.Builder b = Reranker.builder(name).type("flashrank").option("extractDir", tmp.resolve("x").toString());
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.resolve();
  }

  @Test
  void catalogue_model_is_downloaded_unpacked_once_and_scored_as_flashrank() throws Exception {
    Map<?, ?> c = (Map<?, ?>) ((List<?>) Fixtures.json("e2e/bert/scores.json").get("cases")).get(0);
    List<Document> docs = TestFiles.strings(c.get("docs")).stream().map(Document::of).toList();
    double[] expected = TestFiles.doubles(c.get("fp32_flashrank_scores"));
    double[] got;
    try (OnnxCrossEncoderScorer s = load(spec("ms-marco-TinyBERT-L-2-v2"))) {
      assertThat(s.info().type()).isEqualTo("flashrank");
      assertThat(s.info().details()).containsEntry("onnx", "flashrank-TinyBERT-L-2-v2.onnx").containsEntry("maxLength", "512");
      got = s.score((String) c.get("query"), docs).values();
    }
    double diff = TestFiles.maxAbsDiff(got, expected);
    System.out.printf("flashrank (1 logit, sigmoid): max |java - FlashRank steps in Python| = %.3g (tolerance %.0e)%n",
        diff, TOLERANCE);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    assertThat(java.util.Arrays.stream(got).boxed().toList()).allMatch(v -> v > 0 && v < 1);
    assertThat(hub.requests).anyMatch(r -> r.endsWith("/resolve/" + FakeHubServer.COMMIT + "/ms-marco-TinyBERT-L-2-v2.zip"));

    List<String> before = List.copyOf(hub.requests);
    Path root = tmp.resolve("x/flashrank");
    List<Path> unpacked = list(root);
    assertThat(unpacked).hasSize(1);
    assertThat(unpacked.get(0).getFileName().toString()).startsWith("ms-marco-TinyBERT-L-2-v2-");
    assertThat(unpacked.get(0).resolve(".complete")).exists();
    try (OnnxCrossEncoderScorer again = load(spec("ms-marco-TinyBERT-L-2-v2"))) {
      assertThat(again.score((String) c.get("query"), docs).values()).containsExactly(got);
    }
    assertThat(hub.requests).as("second load: cache only, no request").isEqualTo(before);
    assertThat(list(root)).isEqualTo(unpacked);

    // and offline, from the cache
    try (OnnxCrossEncoderScorer offline = load(spec("ms-marco-TinyBERT-L-2-v2", "offline", "true"))) {
      assertThat(offline.score((String) c.get("query"), docs).values()).containsExactly(got);
    }
  }

  @Test
  void two_logit_models_score_softmax_column_one() {
    Map<?, ?> c = (Map<?, ?>) ((List<?>) Fixtures.json("e2e/monobert/scores.json").get("cases")).get(1);
    List<Document> docs = TestFiles.strings(c.get("docs")).stream().map(Document::of).toList();
    double[] expected = TestFiles.doubles(c.get("quantized_flashrank_scores"));
    try (OnnxCrossEncoderScorer s = load(spec("ms-marco-MultiBERT-L-12"))) {
      assertThat(s.info().dtype()).isEqualTo("int8");
      double[] got = s.score((String) c.get("query"), docs).values();
      double diff = TestFiles.maxAbsDiff(got, expected);
      System.out.printf("flashrank (2 logits, softmax[1], int8): max |java - FlashRank steps in Python| = %.3g%n", diff);
      assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void an_unpacked_flashrank_folder_loads_through_the_facade(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("ms-marco-TinyBERT-L-2-v2");
    Files.createDirectories(model);
    Path bert = Fixtures.path("e2e/bert");
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(bert.resolve(f), model.resolve(f));
    }
    Files.copy(bert.resolve("onnx/model.onnx"), model.resolve("flashrank-TinyBERT-L-2-v2.onnx"));
    Map<?, ?> c = (Map<?, ?>) ((List<?>) Fixtures.json("e2e/bert/scores.json").get("cases")).get(3);
    List<String> docs = TestFiles.strings(c.get("docs"));
    try (Reranker r = Reranker.load("flashrank:" + model + "?maxLength=128")) {
      assertThat(r.info().details()).containsEntry("maxLength", "128");
      assertThat(r.rank((String) c.get("query"), docs)).hasSize(docs.size());
    }
    try (Reranker r = Reranker.load("flashrank:" + model)) {
      double[] got = OnnxCrossEncoderTest.inputOrder(r.rank((String) c.get("query"), docs), docs.size());
      assertThat(TestFiles.maxAbsDiff(got, TestFiles.doubles(c.get("fp32_flashrank_scores")))).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void llama_cpp_models_are_refused_before_any_download() {
    assertThatThrownBy(() -> load(spec("rank_zephyr_7b_v1_full")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("llama.cpp")
        .hasMessageContaining("ms-marco-MiniLM-L-12-v2");
    assertThat(hub.requests).isEmpty();
  }

  @Test
  void unknown_names_list_the_catalogue() {
    assertThatThrownBy(() -> load(spec("ms-marco-MiniLM-L-6-v2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ms-marco-TinyBERT-L-2-v2")
        .hasMessageContaining("onnx-cross-encoder");
  }

  @Test
  void offline_without_a_cached_zip_fails_naming_the_file() {
    assertThatThrownBy(() -> load(spec("ms-marco-TinyBERT-L-2-v2", "offline", "true")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("flashrank");
    assertThat(hub.requests).isEmpty();
  }

  @Test
  void allow_insecure_reaches_the_catalogue_download() {
    // a token over plain http to a host other than loopback is refused unless allowInsecure says so
    HubClient remote = HubClient.builder().endpoint("http://hub.example.invalid").cacheDir(tmp.resolve("hub"))
        .maxRetries(0).progressListener(ProgressListener.none()).build();
    String token = "hf_abcdefghijklmnopqrstuvwxyz012345";
    RerankerSpec refused = spec("ms-marco-TinyBERT-L-2-v2", "hfToken", token);
    assertThatThrownBy(() -> FlashRankLoader.load(refused, FlashRankSettings.of(Fixtures.options(refused)), remote))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("refusing to send the Hugging Face token in clear text")
        .hasMessageNotContaining(token);
    RerankerSpec allowed = spec("ms-marco-TinyBERT-L-2-v2", "hfToken", token, "allowInsecure", "true");
    assertThatThrownBy(() -> FlashRankLoader.load(allowed, FlashRankSettings.of(Fixtures.options(allowed)), remote))
        .as("past the refusal: the download itself fails, the host does not exist")
        .isInstanceOf(ModelLoadException.class)
        .hasMessageNotContaining("refusing to send")
        .hasMessageNotContaining(token);
    assertThat(FlashRankSettings.of(Fixtures.options(allowed)).toString()).doesNotContain(token);
  }

  @Test
  void a_hostile_zip_is_refused_and_writes_nothing_outside() {
    assertThatThrownBy(() -> load(spec("ce-esci-MiniLM-L12-v2")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing to unpack")
        .hasMessageContaining("../../escaped.txt");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(p -> p.getFileName().toString().equals("escaped.txt"))).isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(list(tmp.resolve("x/flashrank"))).as("no partial folder left").isEmpty();
  }

  @Test
  void the_catalogue_has_flashranks_names() {
    assertThat(FlashRankModels.all()).extracting(FlashRankModel::name).containsExactly(
        "ms-marco-TinyBERT-L-2-v2", "ms-marco-MiniLM-L-12-v2", "ms-marco-MultiBERT-L-12", "rank-T5-flan",
        "ce-esci-MiniLM-L12-v2", "rank_zephyr_7b_v1_full", "miniReranker_arabic_v1");
    assertThat(FlashRankModels.find("rank_zephyr_7b_v1_full")).get()
        .extracting(FlashRankModel::runtime).isEqualTo(FlashRankModel.Runtime.LLAMA_CPP);
    assertThat(Reranker.resolve("flashrank").model()).isEqualTo("ms-marco-MiniLM-L-12-v2");
    assertThat(Reranker.resolve("flashrank").backend()).contains("flashrank");
    assertThat(Reranker.resolve("ms-marco-MultiBERT-L-12").type()).isEqualTo("flashrank");
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
