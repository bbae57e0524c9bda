package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * What Hugging Face text-embeddings-inference does differently from the common shape: the {@code
 * url} is the server's base ({@code /rerank} appended), no {@code model} field, and {@code
 * truncate} and {@code raw_scores} always sent. {@code truncate} is {@code true} unless the
 * option says otherwise (the option's declared default), since TEI's own default rejects
 * over-long inputs. The rest (key optional, 32 texts per request, {@code return_text: false}, the
 * bare {@code [{index, score}]} answer) is its row in {@link RerankApis}.
 */
final class TeiProtocol extends RerankProtocol {
  private final boolean rawScores;

  TeiProtocol(boolean truncate, boolean rawScores) {
    super(RerankApis.TEI, truncate);
    this.rawScores = rawScores;
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
    ObjectNode b = super.body(model, query, texts, topN, maxLength);
    b.remove("model");
    b.put("raw_scores", rawScores);
    return b;
  }

  @Override
  Map<String, String> details() {
    Map<String, String> d = super.details();
    d.put("truncate", Boolean.toString(truncate()));
    d.put("rawScores", Boolean.toString(rawScores));
    return d;
  }
}
