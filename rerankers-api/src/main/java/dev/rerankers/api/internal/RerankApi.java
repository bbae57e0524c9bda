package dev.rerankers.api.internal;

import dev.rerankers.spi.Option;
import java.util.List;
import java.util.Map;

/**
 * One hosted rerank API as data: everything in which the providers that share the common wire
 * shape (a JSON body with model, query and a document array; an answer of {@code {index, score}}
 * results) differ from each other. {@link RerankApis} holds the table; {@link RerankProtocol}
 * speaks any row of it. Immutable.
 *
 * @param type the model type, also the provider's name in messages ({@code "mixedbread.ai"})
 * @param maxDocuments documents per request by default: the provider's documented maximum (or recommendation)
 * @param maxRequestTokens the approximate token budget per request by default (0: none)
 * @param endpoint where requests go and how the key travels
 * @param request the body's field names
 * @param answer where the scores and the usage are in the answer
 * @param details facts for {@link dev.rerankers.RerankerInfo#details()} ({@code apiVersion})
 * @param options the type's own options beyond those every hosted rerank API takes
 */
record RerankApi(
    String type, int maxDocuments, int maxRequestTokens, Endpoint endpoint, Request request, Answer answer,
    Map<String, String> details, List<Option<?>> options) {

  RerankApi {
    details = Map.copyOf(details);
    options = List.copyOf(options);
  }

  /**
   * @param defaultUrl the endpoint when no {@code url} option is given, or {@code null} when one is required
   * @param keyEnvVar the environment variable holding the key
   * @param keyRequired whether calls need a key
   * @param authHeader the header carrying the key
   * @param authPrefix what precedes the key in it ({@code "Bearer "} or nothing)
   */
  record Endpoint(String defaultUrl, String keyEnvVar, boolean keyRequired, String authHeader, String authPrefix) {
    /** A required key sent as {@code Authorization: Bearer <key>}. */
    static Endpoint bearer(String defaultUrl, String keyEnvVar) {
      return new Endpoint(defaultUrl, keyEnvVar, true, "Authorization", "Bearer ");
    }
  }

  /**
   * @param documentsField the document array ({@code documents}, {@code input}, {@code texts})
   * @param topField the top-N field ({@code top_n}, {@code top_k}), or {@code null} when the API has none
   * @param maxLengthField the per-document token limit field ({@code max_tokens_per_doc}), or {@code null}
   * @param truncateField the boolean truncation switch ({@code truncation}), or {@code null}
   * @param constants fields sent with every request ({@code return_documents: false})
   */
  record Request(
      String documentsField, String topField, String maxLengthField, String truncateField, Map<String, Object> constants) {
    Request {
      constants = Map.copyOf(constants);
    }
  }

  /**
   * @param resultsField the results array, or {@code null} when the answer is the array itself
   * @param scoreField the score's field in a result
   * @param usage pairs of (usage unit, dotted path) read from the answer; the first path found for a unit wins
   */
  record Answer(String resultsField, String scoreField, List<String> usage) {
    Answer {
      usage = List.copyOf(usage);
      if (usage.size() % 2 != 0) {
        throw new IllegalArgumentException("usage is (unit, path) pairs");
      }
    }
  }
}
