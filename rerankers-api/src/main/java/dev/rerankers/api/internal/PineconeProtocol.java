package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What Pinecone's {@code POST https://api.pinecone.io/rerank} does differently from the common
 * shape: an {@code X-Pinecone-API-Version} header, documents as {@code [{text}]} objects, and
 * truncation nested as {@code parameters.truncate} ({@code END}/{@code NONE}). The rest (the
 * {@code Api-Key} header, {@code top_n}, {@code return_documents: false}, the answer {@code
 * data[].index, data[].score} and {@code usage.rerank_units}) is its row in {@link RerankApis}.
 */
final class PineconeProtocol extends RerankProtocol {
  private final String apiVersion;

  /**
   * @param apiVersion the header's value, already checked by the option's parser
   * @param truncate the {@code truncate} option, or {@code null} for the API's default
   */
  PineconeProtocol(String apiVersion, Boolean truncate) {
    super(RerankApis.PINECONE, truncate);
    this.apiVersion = apiVersion;
  }

  @Override
  Map<String, String> headers() {
    return Map.of("X-Pinecone-API-Version", apiVersion);
  }

  @Override
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    ObjectNode b = super.body(model, query, texts, topN, maxLength);
    if (truncate() != null) {
      b.putObject("parameters").put("truncate", truncate() ? "END" : "NONE");
    }
    return b;
  }

  @Override
  JsonNode documents(List<String> texts) {
    ArrayNode docs = WireJson.array();
    for (String t : texts) {
      docs.addObject().put("text", t);
    }
    return docs;
  }

  @Override
  Map<String, String> details() {
    Map<String, String> d = super.details();
    d.put("apiVersion", apiVersion);
    return d;
  }
}
