package dev.rerankers.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.server.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad request gets the documented status and a JSON body with a type and a message, never a
 * stack trace; keys are checked in constant time and never appear in an answer or a log line.
 */
class ErrorsTest {
  static final String KEY = "sk-server-0123456789abcdefghij";
  static RerankServer server;
  static URI base;
  static final List<String> LOGGED = Collections.synchronizedList(new ArrayList<>());
  static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      LOGGED.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  static final Logger SERVER_LOG = Logger.getLogger("dev.rerankers.server");

  @BeforeAll
  static void start() {
    SERVER_LOG.setLevel(Level.ALL);
    SERVER_LOG.addHandler(CAPTURE);
    server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m").model("other", "test-plain:o")
        .apiKeys(List.of(KEY, "second-key-abcdefghijklmnopqrstu"))
        .maxBodyBytes(4096).maxDocuments(5).maxDocumentChars(100)
        .start();
    base = server.uri();
  }

  @AfterAll
  static void stop() {
    server.stop();
    SERVER_LOG.removeHandler(CAPTURE);
  }

  static Http.Answer post(String path, String body) {
    return Http.send(Http.post(base, path, body).header("Authorization", "Bearer " + KEY).build());
  }

  static void assertError(Http.Answer a, int status, String type, String inMessage) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    JsonNode j = a.json();
    assertThat(j.get("type").asText()).isEqualTo(type);
    assertThat(j.get("message").asText()).contains(inMessage);
    assertThat(j.get("error").asText()).isEqualTo(j.get("message").asText());
    assertThat(j.get("error_type").asText()).isEqualTo(type);
    assertThat(j.get("request_id").asText()).isEqualTo(a.header("X-Request-Id"));
    assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(KEY);
  }

  @Test
  void malformed_json_is_400() {
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\""), 400, "invalid_json", "not valid JSON");
    assertError(post("/v2/rerank", "{\"query\": \"q\"} trailing"), 400, "invalid_json", "not valid JSON");
    assertError(post("/rerank", ""), 400, "invalid_json", "empty");
    assertError(post("/rerank", "{\"query\": \"q\", \"query\": \"r\", \"texts\": [\"a\"]}"), 400, "invalid_json", "Duplicate field");
    String deep = "[".repeat(200) + "]".repeat(200);
    assertError(post("/rerank", deep), 400, "invalid_json", "not valid JSON");
  }

  @Test
  void wrong_types_and_missing_fields_are_422() {
    assertError(post("/rerank", "[1, 2]"), 422, "validation", "must be a JSON object");
    assertError(post("/rerank", "{\"texts\": [\"a\"]}"), 422, "validation", "'query' is missing");
    assertError(post("/rerank", "{\"query\": 5, \"texts\": [\"a\"]}"), 422, "validation", "'query' must be a string, got the number 5");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": \"a\"}"), 422, "validation", "'texts' must be an array");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", 3]}"), 422, "validation", "texts[1] must be a string");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"raw_scores\": \"yes\"}"), 422, "validation", "'raw_scores' must be true or false");
    assertError(post("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"a\"], \"top_n\": 0}"), 422, "validation", "'top_n' must be a positive integer");
    assertError(post("/v2/rerank", "{\"query\": \"q\", \"documents\": [{\"title\": \"a\"}]}"), 422, "validation", "documents[0].text is missing");
    assertError(post("/rerank/m", "{\"query\": \"q\", \"documents\": [{\"id\": 1, \"text\": \"a\"}, {\"text\": \"b\"}]}"),
        422, "validation", "1 of 2 documents have an id");
    assertError(post("/rerank/m", "{\"query\": \"q\", \"documents\": [{\"id\": \"x\", \"text\": \"a\"}, {\"id\": \"x\", \"text\": \"b\"}]}"),
        422, "validation", "the same id");
  }

  @Test
  void empty_documents_are_422() {
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": []}"), 422, "validation", "'texts' is empty");
    assertError(post("/v2/rerank", "{\"query\": \"q\", \"documents\": []}"), 422, "validation", "'documents' is empty");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", \"\"]}"), 422, "validation", "texts[1] is empty");
  }

  @Test
  void too_large_is_413() {
    StringBuilder big = new StringBuilder("{\"query\": \"q\", \"texts\": [");
    for (int i = 0; i < 100; i++) {
      big.append(i == 0 ? "" : ",").append("\"").append("x".repeat(60)).append("\"");
    }
    big.append("]}");
    assertError(post("/rerank", big.toString()), 413, "payload_too_large", "at most 4096");
    // the same body without a Content-Length (chunked): the limit holds while reading
    Http.Answer chunked = Http.send(HttpRequest.newBuilder(base.resolve("/rerank"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.toString().getBytes())))
        .build());
    assertError(chunked, 413, "payload_too_large", "4096");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}"), 413, "payload_too_large",
        "at most 5 per request");
    assertError(post("/rerank", "{\"query\": \"q\", \"texts\": [\"" + "y".repeat(101) + "\"]}"), 413, "payload_too_large",
        "texts[0] has 101 characters");
    assertError(post("/rerank", "{\"query\": \"" + "y".repeat(101) + "\", \"texts\": [\"a\"]}"), 413, "payload_too_large", "query");
  }

  @Test
  void unknown_model_route_and_method_are_404_and_405() {
    assertError(post("/v2/rerank", "{\"model\": \"nope\", \"query\": \"q\", \"documents\": [\"a\"]}"), 404, "model_not_found",
        "model 'nope' is not served here; models: m, other");
    assertError(post("/rerank/nope", "{\"query\": \"q\", \"documents\": [\"a\"]}"), 404, "model_not_found", "'nope'");
    assertError(post("/v3/rerank", "{}"), 404, "not_found", "/openapi.json");
    assertError(Http.send(HttpRequest.newBuilder(base.resolve("/rerank")).header("Authorization", "Bearer " + KEY).GET().build()),
        405, "method_not_allowed", "POST");
    assertError(Http.send(HttpRequest.newBuilder(base.resolve("/rerank")).header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("q")).build()),
        415, "unsupported_media_type", "application/json");
  }

  @Test
  void keys_are_required_checked_and_never_echoed_or_logged() {
    String body = "{\"query\": \"q\", \"texts\": [\"a\"]}";
    Http.Answer none = Http.send(Http.post(base, "/rerank", body).build());
    assertError(none, 401, "unauthorized", "Bearer");
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    String wrong = KEY.substring(0, KEY.length() - 1) + "X";
    assertError(Http.send(Http.post(base, "/rerank", body).header("Authorization", "Bearer " + wrong).build()),
        401, "unauthorized", "API key");
    assertError(Http.send(Http.post(base, "/rerank", body).header("Authorization", KEY).build()), 401, "unauthorized", "Bearer");
    assertThat(Http.send(Http.post(base, "/rerank", body).header("Authorization", "Bearer " + KEY).build()).status()).isEqualTo(200);
    assertThat(Http.send(Http.post(base, "/rerank", body).header("Authorization", "bearer second-key-abcdefghijklmnopqrstu").build())
        .status()).isEqualTo(200);
    // probes and the API description are open; metrics and info are not
    assertThat(Http.get(base, "/health").status()).isEqualTo(200);
    assertThat(Http.get(base, "/ready").status()).isEqualTo(200);
    assertThat(Http.get(base, "/openapi.json").status()).isEqualTo(200);
    assertThat(Http.get(base, "/metrics").status()).isEqualTo(401);
    assertThat(Http.get(base, "/info").status()).isEqualTo(401);
    synchronized (LOGGED) {
      assertThat(LOGGED).isNotEmpty().noneMatch(l -> l.contains(KEY) || l.contains(wrong) || l.contains("second-key-"));
    }
    assertThat(server.toString()).doesNotContain(KEY);
  }

  @Test
  void the_builder_checks_its_options_and_hides_keys() {
    RerankServer.Builder b = RerankServer.builder().apiKeys(List.of(KEY));
    assertThat(b.toString()).doesNotContain(KEY).contains("apiKeys=1 configured");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RerankServer.builder().port(70000))
        .hasMessageContaining("port must be 0-65535, got 70000");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RerankServer.builder().apiKeys(List.of("key\n")))
        .hasMessageNotContaining("key\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RerankServer.builder().start())
        .hasMessageContaining("no model to serve");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RerankServer.builder().model("a b", "dense"))
        .hasMessageContaining("model name 'a b'");
    RerankServer.Builder named = RerankServer.builder().models(List.of("test-batched:x?delayMs=1", "fast=test-plain:y",
        "dense", "cross-encoder:/models/a=b"));
    assertThat(named.toString()).contains("models=[default, fast, dense, model3]");
  }

  @Test
  void errors_jetty_answers_itself_are_json_too() throws Exception {
    for (String raw : new String[] {
        "GARBAGE\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"}) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(answer).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
        assertThat(answer).contains("application/json").contains("\"type\":\"bad_request\"")
            .doesNotContain("<html").doesNotContain("Jetty(").doesNotContain("Exception");
      }
    }
    assertThat(Http.get(base, "/health").header("Server")).isNull();
  }

  @Test
  void extra_fields_clients_send_are_accepted() {
    Http.Answer a = post("/rerank", "{\"query\": \"q\", \"texts\": [\"a q\", \"b\"], \"truncate\": true, "
        + "\"truncation_direction\": \"Right\", \"raw_scores\": true}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().get(0).get("index").asInt()).isZero();
    assertThat(a.json().get(0).has("text")).isFalse();
    Http.Answer c = post("/v1/rerank", "{\"model\": \"other\", \"query\": \"q\", \"documents\": [{\"text\": \"b\"}, {\"text\": \"q a\"}], "
        + "\"top_n\": 1, \"return_documents\": true, \"rank_fields\": [\"text\"], \"max_tokens_per_doc\": 100}");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    assertThat(c.json().get("results")).hasSize(1);
    assertThat(c.json().get("results").get(0).get("document").get("text").asText()).isEqualTo("q a");
    assertThat(c.json().get("meta").get("api_version").get("version").asText()).isEqualTo("1");
  }
}
