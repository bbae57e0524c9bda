package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
import dev.rerankers.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * How one hosted rerank API is spoken, from its row of {@link RerankApis}: the endpoint, the
 * request body ({@code model, query, <documents>}, optional top-N, per-document limit and
 * truncation switch, constant fields) and the answer ({@code {index, <score>}} results put back in
 * request order, usage at dotted paths). {@link PineconeProtocol} and {@link TeiProtocol} override
 * the parts where their wire format differs. Immutable; the HTTP engine and the scorer do
 * everything else.
 */
class RerankProtocol {

  /** One answer: a score per document of the request, in request order, and the usage reported. */
  record Page(double[] scores, Usage usage) {}

  private final RerankApi api;
  private final Boolean truncate;

  /**
   * @param truncate the {@code truncate} option: sent in the row's truncation field when set
   */
  RerankProtocol(RerankApi api, Boolean truncate) {
    this.api = api;
    this.truncate = truncate;
  }

  final RerankApi api() {
    return api;
  }

  /** The provider, as a model type: {@code "cohere"}, {@code "mixedbread.ai"}, ... */
  final String provider() {
    return api.type();
  }

  final Boolean truncate() {
    return truncate;
  }

  /** The endpoint for a {@code url} option (the full endpoint URL), else the row's default. */
  HttpUrl endpoint(String url) {
    String u = url != null ? url : api.endpoint().defaultUrl();
    if (u == null) {
      throw new ConfigException(provider() + " needs the url option: the address of your server, e.g. '"
          + provider() + ":" + "BAAI/bge-reranker-base?url=http://localhost:8080'");
    }
    HttpUrl parsed = HttpUrl.parse(u);
    if (parsed == null) {
      throw new ConfigException("url '" + Credentials.maskUrl(u) + "' is not an http(s) URL");
    }
    return parsed;
  }

  /** Provider-specific headers besides authentication (API version, ...). */
  Map<String, String> headers() {
    return Map.of();
  }

  /**
   * The request body.
   *
   * @param topN the number of results to ask for, or {@code null} for all
   * @param maxLength the per-document token limit asked for, or {@code null}
   */
  ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength) {
    RerankApi.Request r = api.request();
    ObjectNode b = WireJson.object();
    b.put("model", model);
    b.put("query", query);
    b.set(r.documentsField(), documents(texts));
    if (topN != null && r.topField() != null) {
      b.put(r.topField(), topN);
    }
    if (maxLength != null && r.maxLengthField() != null) {
      b.put(r.maxLengthField(), maxLength);
    }
    r.constants().forEach((k, v) -> b.set(k, WireJson.value(v)));
    if (truncate != null && r.truncateField() != null) {
      b.put(r.truncateField(), truncate);
    }
    return b;
  }

  /** The document array: strings by default. */
  JsonNode documents(List<String> texts) {
    ArrayNode a = WireJson.array();
    texts.forEach(a::add);
    return a;
  }

  /**
   * Reads an answer.
   *
   * @param n the number of documents sent
   * @param partial whether fewer results than documents are expected (top N asked for)
   * @throws BadAnswer when the answer is not the documented JSON
   */
  final Page parse(JsonNode root, int n, boolean partial) {
    RerankApi.Answer a = api.answer();
    return new Page(scores(root, a.resultsField(), a.scoreField(), n, partial), usage(root, a.usage()));
  }

  /** Facts for {@link dev.rerankers.RerankerInfo#details()}. */
  Map<String, String> details() {
    return new LinkedHashMap<>(api.details());
  }

  // ---- answers ---------------------------------------------------------------------------

  /**
   * Scores from an array of {@code {index, <scoreField>}} objects, put back in request order.
   * Documents missing from a top-N answer get negative infinity (ranked last, in input order).
   *
   * @param field the array's field, or {@code null} when the answer is the array itself
   */
  static double[] scores(JsonNode root, String field, String scoreField, int n, boolean partial) {
    JsonNode arr = field == null ? root : root.get(field);
    if (arr == null || !arr.isArray()) {
      throw new BadAnswer("expected " + (field == null ? "a JSON array" : "an array '" + field + "'")
          + " in the answer, got: " + Snippet.of(root.toString(), 160));
    }
    double[] out = new double[n];
    boolean[] seen = new boolean[n];
    int k = 0;
    for (JsonNode r : arr) {
      JsonNode idx = r.get("index");
      if (idx == null || !idx.isIntegralNumber() || !idx.canConvertToInt()) {
        throw new BadAnswer("result " + k + " has no integer 'index': " + Snippet.of(r.toString(), 120));
      }
      int i = idx.intValue();
      if (i < 0 || i >= n) {
        throw new BadAnswer("result " + k + " has index " + i + ", out of range for the " + n + " documents sent");
      }
      if (seen[i]) {
        throw new BadAnswer("index " + i + " appears twice in the answer");
      }
      JsonNode s = r.get(scoreField);
      if (s == null || s.isNull()) {
        throw new BadAnswer("the result for index " + i + " has no '" + scoreField + "'");
      }
      if (!s.isNumber()) {
        throw new BadAnswer("the '" + scoreField + "' of index " + i + " is not a number: " + Snippet.of(s.toString(), 40));
      }
      double v = s.doubleValue();
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new BadAnswer("the '" + scoreField + "' of index " + i + " is " + v);
      }
      out[i] = v;
      seen[i] = true;
      k++;
    }
    if (k < n) {
      if (!partial) {
        throw new BadAnswer("the answer scores " + k + " of the " + n + " documents sent");
      }
      for (int i = 0; i < n; i++) {
        if (!seen[i]) {
          out[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    return out;
  }

  /** A usage from numeric fields found at dotted paths, as (unit, path) pairs; absent ones skipped. */
  static Usage usage(JsonNode root, List<String> unitAndPath) {
    Map<String, Long> units = new LinkedHashMap<>();
    for (int i = 0; i < unitAndPath.size(); i += 2) {
      String unit = unitAndPath.get(i);
      if (units.containsKey(unit)) {
        continue; // the first path found for a unit wins
      }
      JsonNode node = root;
      for (String part : unitAndPath.get(i + 1).split("\\.")) {
        node = node.path(part);
      }
      if (node.isNumber()) {
        units.put(unit, Math.round(node.doubleValue()));
      }
    }
    return units.isEmpty() ? Usage.NONE : new Usage(units);
  }
}
