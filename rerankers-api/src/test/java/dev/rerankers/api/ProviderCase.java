package dev.rerankers.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Reranker;
import dev.rerankers.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * One hosted provider as the tests see it: how to load it against a MockWebServer, where its
 * fixtures live, what its request and answer look like.
 *
 * @param name a display name (and the fixture folder)
 * @param type the model type
 * @param model the provider's model name
 * @param path the endpoint path on the mock server
 * @param extraOptions more config-string options, starting with {@code &} (or empty)
 * @param resultsField where the answer's results live ({@code null}: the answer is the array)
 * @param scoreField the score's field in a result
 * @param usageUnit the usage unit the fixture reports ({@code null}: none)
 * @param usageAmount its amount
 * @param authHeader the header carrying the key
 * @param authPrefix what precedes the key in it
 * @param supportsTopN whether the API takes top_n / top_k
 */
record ProviderCase(
    String name,
    String type,
    String model,
    String path,
    String extraOptions,
    String resultsField,
    String scoreField,
    String usageUnit,
    long usageAmount,
    String authHeader,
    String authPrefix,
    boolean supportsTopN) {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String KEY = "sk-test-0123456789abcdef-SECRET";
  static final String QUERY = "What is the capital of the United States?";
  static final List<String> DOCS =
      List.of(
          "Carson City is the capital city of the American state of Nevada.",
          "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital is Saipan.",
          "Capitalization or capitalisation in English grammar is the use of a capital letter at the start of a word.",
          "Washington, D.C. is the capital of the United States. It is a federal district.",
          "Capital punishment has existed in the United States since before the United States was a country.");
  /** The ranking every fixture encodes: input positions, best first. */
  static final List<Integer> EXPECTED_ORDER = List.of(3, 4, 0, 1, 2);

  static Stream<ProviderCase> all() {
    return Stream.of(
        new ProviderCase("cohere", "cohere", "rerank-v3.5", "/v2/rerank", "", "results", "relevance_score",
            Usage.SEARCH_UNITS, 1, "Authorization", "Bearer ", true),
        new ProviderCase("cohere-v1", "cohere", "rerank-english-v3.0", "/v1/rerank", "", "results", "relevance_score",
            Usage.SEARCH_UNITS, 1, "Authorization", "Bearer ", true),
        new ProviderCase("jina", "jina", "jina-reranker-v2-base-multilingual", "/v1/rerank", "", "results", "relevance_score",
            Usage.TOKENS, 815, "Authorization", "Bearer ", true),
        new ProviderCase("voyage", "voyage", "rerank-2.5", "/v1/rerank", "", "data", "relevance_score",
            Usage.TOKENS, 148, "Authorization", "Bearer ", true),
        new ProviderCase("mixedbread", "mixedbread.ai", "mixedbread-ai/mxbai-rerank-large-v2", "/v1/reranking", "", "data", "score",
            Usage.TOKENS, 120, "Authorization", "Bearer ", true),
        new ProviderCase("pinecone", "pinecone", "bge-reranker-v2-m3", "/rerank", "", "data", "score",
            Usage.RERANK_UNITS, 1, "Api-Key", "", true),
        new ProviderCase("isaacus", "isaacus", "kanon-universal-classifier", "/v1/rerankings", "", "results", "score",
            Usage.TOKENS, 170, "Authorization", "Bearer ", true),
        new ProviderCase("tei", "text-embeddings-inference", "BAAI/bge-reranker-base", "/rerank", "", null, "score",
            null, 0, "Authorization", "Bearer ", false));
  }

  /** The config string for this provider against the server, with fast test timings and more options. */
  String spec(MockWebServer server, String moreOptions) {
    return type + ":" + model + "?url=" + enc(server.url(path).toString()) + "&apiKey=" + enc(KEY)
        + "&initialBackoff=5ms&maxBackoff=20ms" + extraOptions + moreOptions;
  }

  Reranker load(MockWebServer server, String moreOptions) {
    return Reranker.load(spec(server, moreOptions));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String resource(String path) {
    try (InputStream in = ProviderCase.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse jsonResponse(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  MockResponse ok() {
    return jsonResponse(200, resource(name + "/rerank-ok.json"));
  }

  /**
   * An answer in this provider's shape with the given results, each {@code {index, score}} where
   * the score is a raw JSON literal ({@code "NaN"} allowed) or {@code null} to leave it out.
   */
  String answer(int[] indexes, String[] scoreLiterals) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < indexes.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"index\":").append(indexes[i]);
      if (scoreLiterals[i] != null) {
        sb.append(",\"").append(scoreField).append("\":").append(scoreLiterals[i]);
      }
      sb.append('}');
    }
    sb.append(']');
    return resultsField == null ? sb.toString() : "{\"" + resultsField + "\":" + sb + "}";
  }

  /** A well-formed answer scoring the 5 documents in the expected order. */
  String goodAnswer() {
    return answer(new int[] {3, 4, 0, 1, 2}, new String[] {"0.9", "0.8", "0.7", "0.6", "0.5"});
  }

  static ArrayNode array(JsonNode n) {
    return (ArrayNode) n;
  }

  static ObjectNode object(JsonNode n) {
    return (ObjectNode) n;
  }

  @Override
  public String toString() {
    return name;
  }
}
