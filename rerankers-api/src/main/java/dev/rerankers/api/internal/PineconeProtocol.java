package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import dev.rerankers.Usage;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;

/**
 * Pinecone's {@code POST https://api.pinecone.io/rerank}: headers {@code Api-Key: <key>} and {@code
 * X-Pinecone-API-Version}; body {@code model, query, documents: [{text}]} (100 per request for
 * pinecone-rerank-v0 and bge-reranker-v2-m3), {@code top_n}, {@code return_documents: false},
 * {@code parameters.truncate} (END/NONE) when set; answer {@code data[].index, data[].score},
 * {@code usage.rerank_units}.
 */
final class PineconeProtocol extends RerankProtocol {
  static final String DEFAULT_VERSION = "2025-10";

  private final String apiVersion;
  private final Boolean truncate;

  PineconeProtocol(String apiVersion, Boolean truncate) {
    this.apiVersion = apiVersion == null ? DEFAULT_VERSION : apiVersion.strip();
    if (!this.apiVersion.matches("[A-Za-z0-9._-]{1,40}")) {
      // Sent as a header: okhttp would reject (and quote) anything else.
      throw new ConfigException("apiVersion for pinecone must be a version such as " + DEFAULT_VERSION
          + " (letters, digits, '-', '.', '_')");
    }
    this.truncate = truncate;
  }

  @Override
  String provider() {
    return "pinecone";
  }

  @Override
  String defaultUrl() {
    return "https://api.pinecone.io/rerank";
  }

  @Override
  String keyEnvVar() {
    return "PINECONE_API_KEY";
  }

  @Override
  int maxDocuments() {
    return 100;
  }

  @Override
  void authenticate(Headers.Builder headers, Secret key) {
    if (key != null) {
      headers.add("Api-Key", key.value());
    }
  }

  @Override
  void addHeaders(Headers.Builder headers) {
    headers.add("X-Pinecone-API-Version", apiVersion);
  }

  @Override
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    ObjectNode b = Json.object();
    b.put("model", model);
    b.put("query", query);
    ArrayNode docs = Json.array();
    for (String t : texts) {
      docs.addObject().put("text", t);
    }
    b.set("documents", docs);
    if (topN != null) {
      b.put("top_n", topN);
    }
    b.put("return_documents", false);
    if (truncate != null) {
      b.putObject("parameters").put("truncate", truncate ? "END" : "NONE");
    }
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(
        scores(root, "data", "score", n, partial),
        usage(root, Usage.RERANK_UNITS, "usage.rerank_units"));
  }

  @Override
  Map<String, String> details() {
    Map<String, String> d = super.details();
    d.put("apiVersion", apiVersion);
    return d;
  }
}
