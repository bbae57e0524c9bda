package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Hugging Face text-embeddings-inference: {@code POST {url}/rerank} with {@code query, texts,
 * truncate, raw_scores, return_text: false} (32 texts per request, TEI's default {@code
 * --max-client-batch-size}); the answer is a bare array {@code [{index, score}]}. The key is
 * optional (sent as a bearer token when set, e.g. for Inference Endpoints). {@code truncate} is sent
 * as {@code true} unless the {@code truncate} option says otherwise, since TEI's own default
 * rejects over-long inputs.
 */
final class TeiProtocol extends RerankProtocol {
  private final boolean truncate;
  private final boolean rawScores;

  TeiProtocol(Boolean truncate, boolean rawScores) {
    this.truncate = truncate == null || truncate;
    this.rawScores = rawScores;
  }

  @Override
  String provider() {
    return "text-embeddings-inference";
  }

  @Override
  String defaultUrl() {
    return null;
  }

  @Override
  String keyEnvVar() {
    return "TEI_API_KEY";
  }

  @Override
  boolean keyRequired() {
    return false;
  }

  @Override
  int maxDocuments() {
    return 32;
  }

  /** The server's base URL gets {@code /rerank} appended; a URL already ending in it is kept. */
  @Override
  HttpUrl endpoint(String url) {
    if (url == null) {
      throw new ConfigException(
          "text-embeddings-inference needs the url option: the address of your TEI server, e.g. "
              + "'text-embeddings-inference:BAAI/bge-reranker-base?url=http://localhost:8080'");
    }
    HttpUrl u = super.endpoint(url);
    List<String> segs = u.pathSegments();
    if (!segs.isEmpty() && segs.get(segs.size() - 1).equals("rerank")) {
      return u;
    }
    HttpUrl.Builder b = u.newBuilder();
    if (!segs.isEmpty() && segs.get(segs.size() - 1).isEmpty()) {
      b.removePathSegment(segs.size() - 1);
    }
    return b.addPathSegment("rerank").build();
  }

  @Override
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    ObjectNode b = Json.object();
    b.put("query", query);
    b.set("texts", strings(texts));
    b.put("truncate", truncate);
    b.put("raw_scores", rawScores);
    b.put("return_text", false);
    return b;
  }

  @Override
  Page parse(JsonNode root, int n, boolean partial) {
    return new Page(scores(root, null, "score", n, partial), dev.rerankers.Usage.NONE);
  }

  @Override
  Map<String, String> details() {
    Map<String, String> d = super.details();
    d.put("truncate", Boolean.toString(truncate));
    d.put("rawScores", Boolean.toString(rawScores));
    return d;
  }
}
