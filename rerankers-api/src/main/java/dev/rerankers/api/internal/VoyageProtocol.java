package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Usage;
import java.util.List;

/**
 * Voyage's {@code POST https://api.voyageai.com/v1/rerank}: {@code model, query, documents} (at
 * most 1,000), {@code top_k}, {@code return_documents: false}, {@code truncation} when set; answer
 * {@code data[].index, data[].relevance_score}, {@code usage.total_tokens}. Voyage caps the total
 * tokens of a request (query tokens x documents + document tokens: 300K to 600K by model), so
 * requests are split at an estimated 250K by default.
 */
final class VoyageProtocol extends RerankProtocol {
  private final Boolean truncation;

  VoyageProtocol(Boolean truncation) {
    this.truncation = truncation;
  }

  @Override
  String provider() {
    return "voyage";
  }

  @Override
  String defaultUrl() {
    return "https://api.voyageai.com/v1/rerank";
  }

  @Override
  String keyEnvVar() {
    return "VOYAGE_API_KEY";
  }

  @Override
  int maxDocuments() {
    return 1000;
  }

  @Override
  int defaultMaxRequestTokens() {
    return 250_000;
  }

  @Override
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    ObjectNode b = Json.object();
    b.put("model", model);
    b.put("query", query);
    b.set("documents", strings(texts));
    if (topN != null) {
      b.put("top_k", topN);
    }
    b.put("return_documents", false);
    if (truncation != null) {
      b.put("truncation", truncation);
    }
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(
        scores(root, "data", "relevance_score", n, partial),
        usage(root, Usage.TOKENS, "usage.total_tokens"));
  }
}
