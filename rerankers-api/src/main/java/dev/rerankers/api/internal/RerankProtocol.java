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
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * How one hosted rerank API is spoken: its endpoint, authentication, request body and answer.
 * Subclasses are small and immutable; the HTTP engine and the scorer do everything else.
 */
abstract class RerankProtocol {

  /** One answer: a score per document of the request, in request order, and the usage reported. */
  record Page(double[] scores, Usage usage) {}

  /** The provider, as a model type: {@code "cohere"}, {@code "mixedbread.ai"}, ... */
  abstract String provider();

  /** The endpoint when no {@code url} option is given, or {@code null} when one is required. */
  abstract String defaultUrl();

  /** The environment variable holding the key. */
  abstract String keyEnvVar();

  /** Whether calls need a key (text-embeddings-inference: no). */
  boolean keyRequired() {
    return true;
  }

  /** Documents per request by default: the provider's documented maximum (or recommendation). */
  abstract int maxDocuments();

  /** The approximate token budget per request used when {@code maxRequestTokens} is not set (0: none). */
  int defaultMaxRequestTokens() {
    return 0;
  }

  /** The endpoint for a {@code url} option (the full endpoint URL by default). */
  HttpUrl endpoint(String url) {
    String u = url != null ? url : defaultUrl();
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

  /** Adds authentication headers ({@code Authorization: Bearer} by default). */
  void authenticate(Headers.Builder headers, Secret key) {
    if (key != null) {
      headers.add("Authorization", "Bearer " + key.value());
    }
  }

  /** Adds provider-specific headers (API version, ...). */
  void addHeaders(Headers.Builder headers) {}

  /**
   * The request body.
   *
   * @param topN the number of results to ask for, or {@code null} for all
   * @param maxLength the per-document token limit asked for, or {@code null}
   */
  abstract ObjectNode body(String model, String query, List<String> texts, Integer topN, Integer maxLength);

  /**
   * Reads an answer.
   *
   * @param n the number of documents sent
   * @param partial whether fewer results than documents are expected (top N asked for)
   * @throws BadAnswer when the answer is not the documented JSON
   */
  abstract Page parse(JsonNode root, int n, boolean partial);

  /** Facts for {@link dev.rerankers.RerankerInfo#details()}. */
  Map<String, String> details() {
    return new LinkedHashMap<>();
  }

  // ---- helpers ---------------------------------------------------------------------------

  static ArrayNode strings(List<String> texts) {
    ArrayNode a = Json.array();
    texts.forEach(a::add);
    return a;
  }

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
          + " in the answer, got: " + Texts.abbreviate(root.toString(), 160));
    }
    double[] out = new double[n];
    boolean[] seen = new boolean[n];
    int k = 0;
    for (JsonNode r : arr) {
      JsonNode idx = r.get("index");
      if (idx == null || !idx.isIntegralNumber() || !idx.canConvertToInt()) {
        throw new BadAnswer("result " + k + " has no integer 'index': " + Texts.abbreviate(r.toString(), 120));
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
        throw new BadAnswer("the '" + scoreField + "' of index " + i + " is not a number: " + Texts.abbreviate(s.toString(), 40));
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

  /** A usage from numeric fields found at paths (e.g. {@code "usage.total_tokens"}); absent ones skipped. */
  static Usage usage(JsonNode root, String... unitAndPath) {
    Map<String, Long> units = new LinkedHashMap<>();
    for (int i = 0; i < unitAndPath.length; i += 2) {
      String unit = unitAndPath[i];
      if (units.containsKey(unit)) {
        continue; // the first path found for a unit wins
      }
      JsonNode node = root;
      for (String part : unitAndPath[i + 1].split("\\.")) {
        node = node.path(part);
      }
      if (node.isNumber()) {
        units.put(unit, Math.round(node.doubleValue()));
      }
    }
    return units.isEmpty() ? Usage.NONE : new Usage(units);
  }
}
