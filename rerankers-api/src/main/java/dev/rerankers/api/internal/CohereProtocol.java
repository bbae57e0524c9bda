package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import dev.rerankers.Usage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cohere's rerank endpoints. v2 ({@code POST /v2/rerank}, the default): {@code model, query,
 * documents} (strings), optional {@code top_n} and {@code max_tokens_per_doc}. v1 ({@code POST
 * /v1/rerank}, what the Python library calls): the same plus {@code return_documents: false}.
 * Answer: {@code results[].index, results[].relevance_score}, usage in {@code
 * meta.billed_units.search_units} (and {@code meta.tokens.input_tokens} when present).
 */
final class CohereProtocol extends RerankProtocol {
  static final String V1_URL = "https://api.cohere.com/v1/rerank";
  static final String V2_URL = "https://api.cohere.com/v2/rerank";

  private final String version;

  private CohereProtocol(String version) {
    this.version = version;
  }

  /** The version named by the option, else v1 when a custom url ends in /v1/rerank, else v2. */
  static CohereProtocol of(String apiVersion, String url) {
    String v;
    if (apiVersion != null) {
      v = apiVersion.strip().toLowerCase(Locale.ROOT);
      if (!v.equals("v1") && !v.equals("v2")) {
        throw new ConfigException("apiVersion for cohere must be v1 or v2, got '" + apiVersion + "'");
      }
    } else {
      v = url != null && url.replaceAll("/+$", "").endsWith("/v1/rerank") ? "v1" : "v2";
    }
    return new CohereProtocol(v);
  }

  String version() {
    return version;
  }

  @Override
  String provider() {
    return "cohere";
  }

  @Override
  String defaultUrl() {
    return version.equals("v1") ? V1_URL : V2_URL;
  }

  @Override
  String keyEnvVar() {
    return "COHERE_API_KEY";
  }

  @Override
  int maxDocuments() {
    return 1000; // Cohere accepts 10,000 but recommends at most 1,000 per request
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
    if (version.equals("v1")) {
      b.put("return_documents", false);
    } else if (maxLength != null) {
      b.put("max_tokens_per_doc", maxLength);
    }
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    double[] s = scores(root, "results", "relevance_score", n, partial);
    Usage u = usage(root,
        Usage.SEARCH_UNITS, "meta.billed_units.search_units",
        Usage.TOKENS, "meta.tokens.input_tokens",
        Usage.TOKENS, "meta.billed_units.input_tokens");
    return new Page(s, u);
  }

  @Override
  Map<String, String> details() {
    Map<String, String> d = super.details();
    d.put("apiVersion", version);
    return d;
  }
}
