package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Usage;
import java.util.List;

/**
 * Mixedbread's {@code POST https://api.mixedbread.ai/v1/reranking}: {@code model, query, input} (at
 * most 1,000), {@code top_k}, {@code return_input: false}; answer {@code data[].index,
 * data[].score}, {@code usage.total_tokens}.
 */
final class MixedbreadProtocol extends RerankProtocol {
  @Override
  String provider() {
    return "mixedbread.ai";
  }

  @Override
  String defaultUrl() {
    return "https://api.mixedbread.ai/v1/reranking";
  }

  @Override
  String keyEnvVar() {
    return "MXBAI_API_KEY";
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
    b.set("input", strings(texts));
    if (topN != null) {
      b.put("top_k", topN);
    }
    b.put("return_input", false);
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(
        scores(root, "data", "score", n, partial),
        usage(root, Usage.TOKENS, "usage.total_tokens", Usage.TOKENS, "usage.prompt_tokens"));
  }
}
