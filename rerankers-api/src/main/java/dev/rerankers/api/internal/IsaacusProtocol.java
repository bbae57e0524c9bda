package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Usage;
import java.util.List;

/**
 * Isaacus's {@code POST https://api.isaacus.com/v1/rerankings}: {@code model, query, texts, top_n};
 * answer {@code results[].index, results[].score}, {@code usage.input_tokens}. Isaacus chunks long
 * texts itself; texts must not be blank.
 */
final class IsaacusProtocol extends RerankProtocol {
  @Override
  String provider() {
    return "isaacus";
  }

  @Override
  String defaultUrl() {
    return "https://api.isaacus.com/v1/rerankings";
  }

  @Override
  String keyEnvVar() {
    return "ISAACUS_API_KEY";
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
    b.set("texts", strings(texts));
    if (topN != null) {
      b.put("top_n", topN);
    }
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(
        scores(root, "results", "score", n, partial),
        usage(root, Usage.TOKENS, "usage.input_tokens"));
  }
}
