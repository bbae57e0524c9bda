package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Usage;
import java.util.List;

/**
 * Jina's {@code POST https://api.jina.ai/v1/rerank}: {@code model, query, documents, top_n,
 * return_documents: false}; answer {@code results[].index, results[].relevance_score}, {@code
 * usage.total_tokens}.
 */
final class JinaProtocol extends RerankProtocol {
  @Override
  String provider() {
    return "jina";
  }

  @Override
  String defaultUrl() {
    return "https://api.jina.ai/v1/rerank";
  }

  @Override
  String keyEnvVar() {
    return "JINA_API_KEY";
  }

  @Override
  int maxDocuments() {
    return 1000;
  }

  @Override
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    ObjectNode b = Json.object();
    b.put("model", model);
    b.put("query", query);
    b.set("documents", strings(texts));
    if (topN != null) {
      b.put("top_n", topN);
    }
    b.put("return_documents", false);
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(
        scores(root, "results", "relevance_score", n, partial),
        usage(root, Usage.TOKENS, "usage.total_tokens"));
  }
}
