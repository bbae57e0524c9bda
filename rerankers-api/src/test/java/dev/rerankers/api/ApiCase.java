package dev.rerankers.api;

import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * Every model type of this backend as the security tests see it: the seven hosted rerank APIs
 * (from {@link ProviderCase}) and the three LLM rankers over an OpenAI-compatible endpoint.
 *
 * @param name a display name
 * @param type the model type
 * @param model the model name
 * @param urlPath the path of the {@code url} option on the mock server
 * @param requestPath where the request lands
 * @param authHeader the header carrying the key
 * @param authPrefix what precedes the key in it
 * @param okBody a successful answer's JSON
 * @param keyEnvVar the environment variable the key is read from, or {@code null} when it is read from none
 */
record ApiCase(
    String name, String type, String model, String urlPath, String requestPath, String authHeader, String authPrefix,
    String okBody, String keyEnvVar) {

  static Stream<ApiCase> all() {
    Stream<ApiCase> rerank = ProviderCase.all()
        .filter(p -> !p.name().equals("cohere-v1"))
        .map(p -> new ApiCase(p.name(), p.type(), p.model(), p.path(), p.path(), p.authHeader(), p.authPrefix(),
            p.goodAnswer(), envVar(p.type())));
    String chat = LlmRankersTest.chatAnswer("[2] > [1] > [3] > [4] > [5]");
    Stream<ApiCase> llm = Stream.of(
        new ApiCase("rankgpt", "rankgpt", "gpt-4o-mini", "/v1", "/v1/chat/completions", "Authorization", "Bearer ", chat, null),
        new ApiCase("rankllm", "rankllm", "rank_zephyr", "/v1", "/v1/chat/completions", "Authorization", "Bearer ", chat, null),
        new ApiCase("llm-relevance-filter", "llm-relevance-filter", "gpt-4o-mini", "/v1", "/v1/chat/completions",
            "Authorization", "Bearer ", LlmRankersTest.chatAnswer(""), null));
    return Stream.concat(rerank, llm);
  }

  static List<ApiCase> list() {
    return all().toList();
  }

  private static String envVar(String type) {
    return switch (type) {
      case "cohere" -> "COHERE_API_KEY";
      case "jina" -> "JINA_API_KEY";
      case "voyage" -> "VOYAGE_API_KEY";
      case "mixedbread.ai" -> "MXBAI_API_KEY";
      case "pinecone" -> "PINECONE_API_KEY";
      case "isaacus" -> "ISAACUS_API_KEY";
      case "text-embeddings-inference" -> "TEI_API_KEY";
      default -> null;
    };
  }

  /** The config string against {@code baseUrl} (scheme, host and port), without a key. */
  String spec(String baseUrl, String moreOptions) {
    return type + ":" + model + "?url=" + ProviderCase.enc(baseUrl + urlPath)
        + "&initialBackoff=5ms&maxBackoff=20ms&maxRetries=2" + moreOptions;
  }

  /** The config string against the server with {@code key} as the apiKey option. */
  String spec(MockWebServer server, String key, String moreOptions) {
    return spec(base(server), "&apiKey=" + ProviderCase.enc(key) + moreOptions);
  }

  Reranker load(MockWebServer server, String key, String moreOptions) {
    return Reranker.load(spec(server, key, moreOptions));
  }

  /** A builder against the server, with no key set. */
  Reranker.Builder builder(MockWebServer server) {
    return Reranker.builder(model).type(type).url(base(server) + urlPath)
        .option("initialBackoff", "5ms").option("maxBackoff", "20ms").option("maxRetries", "2");
  }

  /**
   * What {@code Reranker.load} does with a resolved spec, through {@code provider}: the spec's
   * options checked against the type's declarations, then {@code create}.
   */
  static Scorer create(ApiRerankerProvider provider, RerankerSpec spec) {
    List<Option<?>> declared = new ArrayList<>(CommonOptions.ALL);
    declared.addAll(provider.options(spec.type()));
    return provider.create(spec, OptionValues.parse(declared, spec.options(), "type " + spec.type()));
  }

  static String base(MockWebServer server) {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  MockResponse ok() {
    return ProviderCase.jsonResponse(200, okBody);
  }

  @Override
  public String toString() {
    return name;
  }
}
