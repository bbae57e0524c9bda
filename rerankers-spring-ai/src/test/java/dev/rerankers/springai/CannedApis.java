package dev.rerankers.springai;

import dev.rerankers.Reranker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Real rerankers-api rankers pointed at local MockWebServers that replay documented provider answers. */
final class CannedApis {
  static final String KEY = "sk-test-0123456789abcdef";
  static final String QUERY = "What is the capital of the United States?";
  static final List<String> DOCS =
      List.of(
          "Carson City is the capital city of the American state of Nevada.",
          "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital is Saipan.",
          "Capitalization or capitalisation in English grammar is the use of a capital letter at the start of a word.",
          "Washington, D.C. is the capital of the United States. It is a federal district.",
          "Capital punishment has existed in the United States since before the United States was a country.");
  /** cohere-rerank-ok.json's relevance_score per input position. */
  static final List<Double> COHERE_SCORES = List.of(0.32713068, 0.1867867, 0.0561631, 0.999071, 0.7867867);
  /** tei-rerank-ok.json's score per input position. */
  static final List<Double> TEI_SCORES = List.of(0.019236766, 0.0012640871, 0.00006310231, 0.99870145, 0.22186935);

  private CannedApis() {}

  static Reranker cohere(MockWebServer server, String moreOptions) {
    return Reranker.load(cohereSpec(server) + "&apiKey=" + KEY + "&initialBackoff=5ms&maxBackoff=20ms" + moreOptions);
  }

  /** The config string of a Cohere ranker at this server, without key or other options. */
  static String cohereSpec(MockWebServer server) {
    return "cohere:rerank-v3.5?url=" + enc(server.url("/v2/rerank").toString());
  }

  static Reranker tei(MockWebServer server) {
    return Reranker.load("text-embeddings-inference:BAAI/bge-reranker-base?url=" + enc(server.url("/rerank").toString()));
  }

  static Reranker rankGpt(MockWebServer server) {
    return Reranker.load("rankgpt:gpt-4o-mini?url=" + enc(server.url("/v1").toString()) + "&apiKey=" + KEY);
  }

  /** An OpenAI chat-completions answer with this content and 110 total tokens. */
  static MockResponse chatAnswer(String content) {
    return json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\""
        + content + "\"}}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":10,\"total_tokens\":110}}");
  }

  static MockResponse ok(String fixture) {
    return json(200, resource(fixture));
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static String resource(String name) {
    try (InputStream in = CannedApis.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
