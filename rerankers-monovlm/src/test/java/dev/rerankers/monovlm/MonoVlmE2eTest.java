package dev.rerankers.monovlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rerankers.ConfigException;
import dev.rerankers.Document;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.monovlm.testing.Fixture;
import dev.rerankers.testing.TestFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through {@code Reranker.load("monovlm:" + folder)} on the fixture's tiny Qwen2-VL,
 * against the scores AnswerDotAI's Python rerankers ({@code MonoVLMRanker}, fp32, eager attention)
 * gave for 3 queries × 4 image documents (PNG RGB/RGBA/grey and JPEG, each resized): the base
 * model, and the LoRA adapter merged at load (Python ranked the reference-merged model). Images
 * arrive as a file path, raw bytes, base64 and a data URL. Tolerance 1e-4 absolute on P(True);
 * rankings must match wherever Python's neighbouring scores are more than 1e-4 apart.
 */
class MonoVlmE2eTest {
  static final double TOLERANCE = 1e-4;
  static Reranker base;
  static Reranker lora;
  static Map<String, Object> expected;

  @BeforeAll
  static void load() {
    expected = Fixture.expected();
    base = Reranker.load("monovlm:" + Fixture.dir().resolve("tiny-qwen2vl"));
    lora = Reranker.load("monovlm:" + Fixture.dir().resolve("tiny-lora"));
  }

  @AfterAll
  static void close() {
    base.close();
    lora.close();
  }

  /** The four fixture images, each from a different kind of source. */
  static List<Document> documents(List<String> files) throws IOException {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path p = Fixture.dir().resolve("images/" + files.get(i));
      byte[] bytes = Files.readAllBytes(p);
      Document.Image image = switch (i % 4) {
        case 0 -> Document.Image.fromPath(p);
        case 1 -> Document.Image.fromBytes(bytes);
        case 2 -> Document.Image.fromBase64(Base64.getEncoder().encodeToString(bytes));
        default -> Document.Image.fromBase64("data:image/jpeg;base64," + Base64.getMimeEncoder().encodeToString(bytes));
      };
      docs.add(Document.of(image).withId(files.get(i)).withMetadata(Map.of("n", i)));
    }
    return docs;
  }

  @Test
  void should_match_python_rerankers_on_the_base_model() throws IOException {
    check(base, "base", TestFiles.maps(TestFiles.map(expected.get("rerankers")).get("base")));
  }

  @Test
  void should_match_python_rerankers_on_the_lora_adapter_merged_at_load() throws IOException {
    check(lora, "lora", TestFiles.maps(TestFiles.map(expected.get("rerankers")).get("lora_merged")));
    assertThat(lora.info().details()).containsEntry("loraModules", "16").containsKey("baseModel");
  }

  @Test
  void should_give_the_same_scores_in_batches() throws IOException {
    try (Reranker batched = Reranker.load("monovlm:" + Fixture.dir().resolve("tiny-lora") + "?batchSize=3")) {
      check(batched, "lora batchSize=3", TestFiles.maps(TestFiles.map(expected.get("rerankers")).get("lora_merged")));
    }
  }

  @Test
  void should_score_the_same_from_several_threads_at_once() throws Exception {
    List<Document> docs = documents(List.of("a.png", "b.png", "c.png", "d.jpg"));
    RankedResults alone = base.rankDocuments("threads", docs);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<RankedResults>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        futures.add(pool.submit(() -> base.rankDocuments("threads", docs)));
      }
      for (java.util.concurrent.Future<RankedResults> f : futures) {
        RankedResults r = f.get();
        for (Result res : alone) {
          assertThat(r.scoreOf(res.id()).orElseThrow()).isCloseTo(res.score(), org.assertj.core.data.Offset.offset(1e-6));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void should_score_by_the_true_logit_with_returnLogits() throws IOException {
    int trueId = ((Number) expected.get("token_true_id")).intValue();
    Map<String, Object> first = TestFiles.maps(TestFiles.map(expected.get("rerankers")).get("base")).get(0);
    @SuppressWarnings("unchecked")
    List<String> files = (List<String>) first.get("doc_ids");
    try (Reranker logits = Reranker.builder(Fixture.dir().resolve("tiny-qwen2vl").toString()).type("monovlm")
        .option("returnLogits", "true").build()) {
      RankedResults r = logits.rankDocuments((String) first.get("query"), documents(files));
      List<Map<String, Object>> perImage = TestFiles.maps(expected.get("per_image_first_query"));
      for (Map<String, Object> row : perImage) {
        double want = TestFiles.floats(row.get("logits_last_position"))[trueId];
        double got = r.resultOf(row.get("file")).orElseThrow().score();
        assertThat(got).as((String) row.get("file")).isCloseTo(want, org.assertj.core.data.Offset.offset(TOLERANCE));
      }
    }
  }

  @Test
  void should_refuse_text_documents_urls_and_bad_images_clearly() throws IOException {
    assertThatThrownBy(() -> base.rank("q", List.of("a text"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text document").hasMessageContaining("Document.Image");
    assertThatThrownBy(() -> base.rankDocuments("q", List.of(Document.of(Document.Image.fromUrl(
        URI.create("http://127.0.0.1:9/x.png")))))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowUrls=true");
    byte[] png = Files.readAllBytes(Fixture.dir().resolve("images/a.png"));
    byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> base.rankDocuments("q", List.of(Document.of(Document.Image.fromBytes(truncated)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs[0]")
        .hasMessageContaining("corrupt or truncated");
    assertThatThrownBy(() -> base.rankDocuments("q", List.of(Document.of(Document.Image.fromPath(
        Fixture.dir().resolve("images/missing.png")))))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Reranker.load("monovlm:" + Fixture.dir().resolve("tiny-qwen2vl") + "?maxLength=10"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxLength");
    assertThatThrownBy(() -> Reranker.load("monovlm:" + Fixture.dir().resolve("tiny-qwen2vl")
        + "?promptTemplate=no+placeholder")).isInstanceOf(ConfigException.class).hasMessageContaining("{query}");
  }

  @Test
  void should_find_the_adapter_base_by_option_and_fetch_urls_when_allowed(@TempDir Path tmp) throws IOException {
    Path adapter = Files.createDirectories(tmp.resolve("moved-adapter"));
    for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
      Files.copy(Fixture.dir().resolve("tiny-lora/" + f), adapter.resolve(f));
    }
    // base_model_name_or_path "../tiny-qwen2vl" no longer resolves from the copy
    assertThatThrownBy(() -> Reranker.load("monovlm:" + adapter + "?offline=true"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("../tiny-qwen2vl").hasMessageContaining("baseModel");
    byte[] png = Files.readAllBytes(Fixture.dir().resolve("images/a.png"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/a.png", ex -> {
      ex.sendResponseHeaders(200, png.length);
      try (var out = ex.getResponseBody()) {
        out.write(png);
      }
    });
    server.start();
    try (Reranker moved = Reranker.builder(adapter.toString()).type("monovlm")
        .option("baseModel", Fixture.dir().resolve("tiny-qwen2vl").toString()).option("allowUrls", "true").build()) {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/a.png");
      double fromUrl = moved.rankDocuments("q", List.of(Document.of(Document.Image.fromUrl(url)))).get(0).score();
      double fromBytes = lora.rankDocuments("q", List.of(Document.of(Document.Image.fromBytes(png)))).get(0).score();
      assertThat(fromUrl).isCloseTo(fromBytes, org.assertj.core.data.Offset.offset(1e-6));
    } finally {
      server.stop(0);
    }
  }

  private static void check(Reranker ranker, String label, List<Map<String, Object>> cases) throws IOException {
    assertThat(ranker.info().type()).isEqualTo("monovlm");
    double worst = 0;
    for (Map<String, Object> c : cases) {
      @SuppressWarnings("unchecked")
      List<String> files = (List<String>) c.get("doc_ids");
      float[] want = TestFiles.floats(c.get("scores_in_input_order"));
      RankedResults r = ranker.rankDocuments((String) c.get("query"), documents(files));
      assertThat(r.results()).hasSize(files.size());
      for (int i = 0; i < files.size(); i++) {
        Result res = r.resultOf(files.get(i)).orElseThrow();
        assertThat(res.metadata()).containsEntry("n", i);
        double d = Math.abs(res.score() - want[i]);
        worst = Math.max(worst, d);
        assertThat(d).as(label + " " + files.get(i) + " for '" + c.get("query") + "'").isLessThanOrEqualTo(TOLERANCE);
      }
      if (((Number) c.get("min_gap_between_sorted_scores")).doubleValue() > TOLERANCE) {
        assertThat(r.results()).extracting(Result::id).containsExactlyElementsOf((List<?>) c.get("ranking"));
      }
    }
    System.out.printf("e2e monovlm %s: max|Δ score| vs Python rerankers = %.3g over %d queries (tolerance %.0e)%n",
        label, worst, cases.size(), TOLERANCE);
  }
}
