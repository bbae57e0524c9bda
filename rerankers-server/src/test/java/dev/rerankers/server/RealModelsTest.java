package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.langchain4j.RerankerScoringModel;
import dev.rerankers.server.testing.Http;
import dev.rerankers.springai.RerankerDocumentPostProcessor;
import dev.rerankers.testing.TestFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.rag.Query;

/**
 * The proof of the wire formats: this project's own text-embeddings-inference and Cohere clients
 * (rerankers-api), pointed at the server over loopback HTTP, return the scores the same rankers
 * give in-process (|Δ| ≤ 1e-6), and the LangChain4j and Spring AI adapters work through them.
 * Real models: the offline dense default (all-MiniLM-L6-v2 ONNX from Maven Central) and a golden
 * BERT cross-encoder fixture (made by Hugging Face transformers, copied from rerankers-transformers).
 */
class RealModelsTest {
  static final String KEY = "server-test-key-0123456789abcdef";
  static final String QUERY = "Does vitamin B12 deficiency raise homocysteine?";
  static final List<String> DOCS = List.of(
      "Folic acid lowers plasma homocysteine in patients with coronary artery disease.",
      "Vitamin B12 deficiency increases blood levels of homocysteine.",
      "Open access increases the citation rate of papers.",
      "Macrophages switch to glycolysis when activated by lipopolysaccharide.",
      "Homocysteine is an amino acid; B vitamins are needed to break it down.");

  static String ceSpec;
  static Reranker ce;
  static Reranker dense;
  static RerankServer server;
  static URI base;

  @BeforeAll
  static void start() {
    Path dir = TestFiles.resource("e2e-bert");
    ceSpec = "cross-encoder:" + dir.toAbsolutePath() + "?device=cpu";
    ce = Reranker.load(ceSpec);
    dense = Reranker.load("dense");
    server = RerankServer.builder()
        .host("127.0.0.1").port(0)
        .model("ce", ceSpec)
        .model("dense", "dense")
        .apiKeys(List.of(KEY))
        .start();
    base = server.uri();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
    if (ce != null) {
      ce.close();
    }
    if (dense != null) {
      dense.close();
    }
  }

  @Test
  void the_models_run_as_their_rankers_say() {
    // the cross-encoder shares forward passes between queries; the dense bi-encoder does not
    assertThat(server.models()).containsEntry("ce", "batched").containsEntry("dense", "concurrent");
    assertThat(server.isReady()).isTrue();
  }

  @Test
  void tei_client_gets_the_in_process_scores() {
    RankedResults local = ce.rank(QUERY, DOCS);
    try (Reranker tei = Reranker.load("text-embeddings-inference:ce?url=" + base + "&apiKey=" + KEY + "&rawScores=true")) {
      RankedResults remote = tei.rank(QUERY, DOCS);
      assertSame(local, remote, 1e-6);
    }
    // TEI's default raw_scores=false: sigmoid of the score, as TEI gives for a logit
    try (Reranker tei = Reranker.load("text-embeddings-inference:ce?url=" + base + "/&apiKey=" + KEY)) {
      RankedResults remote = tei.rank(QUERY, DOCS);
      for (Result r : remote) {
        double raw = local.scoreOf(r.id()).orElseThrow();
        assertThat(r.score()).isCloseTo(1 / (1 + Math.exp(-raw)), within(1e-6));
      }
    }
  }

  @Test
  void cohere_v2_and_v1_clients_get_the_in_process_scores_of_the_model_they_name() {
    try (Reranker v2 = Reranker.load("cohere:ce?url=" + base + "/v2/rerank&apiKey=" + KEY);
        Reranker v1 = Reranker.load("cohere:dense?url=" + base + "/v1/rerank&apiKey=" + KEY)) {
      assertSame(ce.rank(QUERY, DOCS), v2.rank(QUERY, DOCS), 1e-6);
      assertSame(dense.rank(QUERY, DOCS), v1.rank(QUERY, DOCS), 1e-6);
      // top N: the client asks for 2, the rest come back ranked last
      try (Reranker top = Reranker.load("cohere:ce?url=" + base + "/v2/rerank&apiKey=" + KEY + "&topN=2")) {
        RankedResults r = top.rank(QUERY, DOCS);
        assertThat(r.get(0).id()).isEqualTo(ce.rank(QUERY, DOCS).get(0).id());
        assertThat(r.get(2).score()).isEqualTo(Double.NEGATIVE_INFINITY);
      }
    }
  }

  @Test
  void langchain4j_scoring_model_works_through_the_server() {
    try (Reranker remote = Reranker.load("cohere:dense?url=" + base + "/v2/rerank&apiKey=" + KEY)) {
      RerankerScoringModel model = RerankerScoringModel.of(remote);
      List<TextSegment> segments = DOCS.stream().map(TextSegment::from).toList();
      Response<List<Double>> scores = model.scoreAll(segments, QUERY);
      RankedResults local = dense.rank(QUERY, DOCS);
      for (int i = 0; i < DOCS.size(); i++) {
        assertThat(scores.content().get(i)).isCloseTo(local.scoreOf(i).orElseThrow(), within(1e-6));
      }
    }
  }

  @Test
  void spring_ai_post_processor_works_through_the_server() {
    try (Reranker remote = Reranker.load("text-embeddings-inference:ce?url=" + base + "&apiKey=" + KEY + "&rawScores=true")) {
      RerankerDocumentPostProcessor p = RerankerDocumentPostProcessor.builder(remote).topK(3).build();
      List<org.springframework.ai.document.Document> in = new ArrayList<>();
      for (int i = 0; i < DOCS.size(); i++) {
        in.add(new org.springframework.ai.document.Document("d" + i, DOCS.get(i), Map.of("n", i)));
      }
      List<org.springframework.ai.document.Document> out = p.process(new Query(QUERY), in);
      RankedResults local = ce.rank(QUERY, DOCS);
      assertThat(out).hasSize(3);
      for (int r = 0; r < 3; r++) {
        assertThat(out.get(r).getText()).isEqualTo(local.get(r).text());
        assertThat(((Number) out.get(r).getMetadata().get(RerankerDocumentPostProcessor.DEFAULT_SCORE_KEY)).doubleValue())
            .isCloseTo(local.get(r).score(), within(1e-6));
      }
    }
  }

  @Test
  void native_route_keeps_ids_and_metadata() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (int i = 0; i < DOCS.size(); i++) {
      docs.add(Map.of("id", "doc-" + i, "text", DOCS.get(i), "metadata", Map.of("source", "s" + i, "page", i)));
    }
    Http.Answer a = Http.send(Http.post(base, "/rerank/ce", Http.JSON.writeValueAsString(
            Map.of("query", QUERY, "documents", docs, "top_n", 4)))
        .header("Authorization", "Bearer " + KEY).build());
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonNode body = a.json();
    List<Document> expected = new ArrayList<>();
    for (int i = 0; i < DOCS.size(); i++) {
      expected.add(Document.of("doc-" + i, DOCS.get(i), Map.of("source", "s" + i, "page", i)));
    }
    RankedResults local = ce.rankDocuments(QUERY, expected);
    assertThat(body.get("model").asText()).isEqualTo("ce");
    assertThat(body.get("results")).hasSize(4);
    for (int r = 0; r < 4; r++) {
      JsonNode res = body.get("results").get(r);
      Result want = local.get(r);
      assertThat(res.get("rank").asInt()).isEqualTo(r + 1);
      assertThat(res.get("id").asText()).isEqualTo(want.id());
      assertThat(res.get("index").asInt()).isEqualTo(Integer.parseInt(((String) want.id()).substring(4)));
      assertThat(res.get("score").asDouble()).isCloseTo(want.score(), within(1e-6));
      assertThat(res.get("text").asText()).isEqualTo(want.text());
      assertThat(res.get("metadata").get("source").asText()).isEqualTo(want.metadata().get("source"));
      assertThat(res.get("metadata").get("page").asInt()).isEqualTo(want.metadata().get("page"));
    }
    assertThat(a.header("X-Request-Id")).isEqualTo(body.get("id").asText());
  }

  @Test
  void info_openapi_and_metrics_describe_the_server() throws Exception {
    Http.Answer info = Http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/info?model=dense"))
        .header("Authorization", "Bearer " + KEY).GET().build());
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().get("model_id").asText()).contains("all-MiniLM-L6-v2");
    assertThat(info.json().get("model_type").has("reranker")).isTrue();
    assertThat(info.json().get("max_client_batch_size").asInt()).isEqualTo(1000);
    assertThat(info.json().get("models").has("ce")).isTrue();

    JsonNode api = Http.get(base, "/openapi.json").json();
    assertThat(api.get("openapi").asText()).startsWith("3.");
    assertThat(api.get("paths").fieldNames()).toIterable().contains(
        "/rerank", "/v1/rerank", "/v2/rerank", "/rerank/{model}", "/info", "/health", "/ready", "/metrics", "/openapi.json");

    // something to count, then the Prometheus text
    try (Reranker tei = Reranker.load("text-embeddings-inference:ce?url=" + base + "&apiKey=" + KEY)) {
      tei.rank(QUERY, DOCS);
    }
    Http.Answer m = Http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics"))
        .header("Authorization", "Bearer " + KEY).GET().build());
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.header("Content-Type")).startsWith("text/plain");
    assertThat(m.body())
        .contains("rerankers_http_requests_seconds_bucket{")
        .contains("route=\"tei\"")
        .contains("rerankers_pairs_scored_total{model=\"ce\"}")
        .contains("rerankers_batch_requests_count{model=\"ce\"}")
        .contains("rerankers_queue_depth{model=\"ce\"}")
        .contains("rerankers_ready 1.0")
        .contains("jvm_memory_used_bytes")
        .doesNotContain(KEY);
  }

  static void assertSame(RankedResults local, RankedResults remote, double tol) {
    assertThat(remote.size()).isEqualTo(local.size());
    for (int r = 0; r < local.size(); r++) {
      assertThat(remote.get(r).id()).as("rank " + (r + 1)).isEqualTo(local.get(r).id());
      assertThat(remote.get(r).score()).isCloseTo(local.get(r).score(), within(tol));
    }
  }
}
