package dev.rerankers.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The three wire formats: Hugging Face text-embeddings-inference ({@code POST /rerank}), Cohere
 * ({@code POST /v1/rerank}, {@code /v2/rerank}) and the native one ({@code POST /rerank/{model}},
 * which keeps ids and metadata). Parses and checks a request body into a {@link Call}, and writes
 * a call's results in the same dialect. Fields a client sends that the server has no use for
 * ({@code truncation_direction}, {@code rank_fields}, ...) are accepted and ignored, as the
 * providers' own servers do.
 */
final class Wire {
  /** Which API a request came through. */
  enum Dialect {
    TEI("tei"),
    COHERE_V1("cohere-v1"),
    COHERE_V2("cohere-v2"),
    NATIVE("native");

    final String route;

    Dialect(String route) {
      this.route = route;
    }
  }

  /**
   * A checked request.
   *
   * @param model the model asked for, or {@code null} for the default
   * @param topN the number of results to return, or {@code null} for all
   * @param returnText whether results carry the document text
   * @param rawScores TEI only: false gives sigmoid(score), as TEI does for its logits
   */
  record Call(Dialect dialect, String model, String query, List<Document> documents, Integer topN,
      boolean returnText, boolean rawScores) {}

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxNumberLength(64)
        .build());
  }

  private final int maxDocuments;
  private final int maxChars;

  Wire(int maxDocuments, int maxChars) {
    this.maxDocuments = maxDocuments;
    this.maxChars = maxChars;
  }

  // ---- requests ----------------------------------------------------------------------------

  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw new HttpError(400, HttpError.INVALID_JSON, "the request body is empty; send a JSON object");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      throw new HttpError(400, HttpError.INVALID_JSON, "the request body is not valid JSON: "
          + (msg == null ? e.getClass().getSimpleName() : cut(msg, 200)) + locate(e));
    } catch (IOException e) {
      throw new HttpError(400, HttpError.INVALID_JSON, "the request body could not be read as JSON");
    }
  }

  Call read(Dialect dialect, JsonNode root, String pathModel) {
    if (root == null || !root.isObject()) {
      throw HttpError.validation("the request body must be a JSON object, got " + kind(root));
    }
    String query = text(root, "query", true);
    checkLength("query", query);
    return switch (dialect) {
      case TEI -> new Call(dialect, text(root, "model", false), query, texts(root, "texts"), null,
          bool(root, "return_text", false), bool(root, "raw_scores", false));
      case COHERE_V1, COHERE_V2 -> {
        check(root, "max_tokens_per_doc");
        yield new Call(dialect, text(root, "model", false), query, cohereDocuments(root), positive(root, "top_n"),
            bool(root, "return_documents", false), true);
      }
      case NATIVE -> new Call(dialect, pathModel, query, nativeDocuments(root), positive(root, "top_n"),
          bool(root, "return_text", true), true);
    };
  }

  private List<Document> texts(JsonNode root, String field) {
    JsonNode arr = array(root, field);
    List<Document> docs = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode t = arr.get(i);
      if (!t.isTextual()) {
        throw HttpError.validation(field + "[" + i + "] must be a string, got " + kind(t));
      }
      docs.add(Document.of(checkText(field + "[" + i + "]", t.asText())));
    }
    return docs;
  }

  private List<Document> cohereDocuments(JsonNode root) {
    JsonNode arr = array(root, "documents");
    List<Document> docs = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode d = arr.get(i);
      String where = "documents[" + i + "]";
      if (d.isTextual()) {
        docs.add(Document.of(checkText(where, d.asText())));
      } else if (d.isObject()) {
        docs.add(Document.of(checkText(where + ".text", text(d, "text", true, where + ".text"))));
      } else {
        throw HttpError.validation(where + " must be a string or an object with a 'text' string, got " + kind(d));
      }
    }
    return docs;
  }

  private List<Document> nativeDocuments(JsonNode root) {
    JsonNode arr = array(root, "documents");
    List<Document> docs = new ArrayList<>(arr.size());
    Map<Object, Integer> seen = new HashMap<>();
    int withId = 0;
    for (int i = 0; i < arr.size(); i++) {
      JsonNode d = arr.get(i);
      String where = "documents[" + i + "]";
      if (d.isTextual()) {
        docs.add(Document.of(checkText(where, d.asText())));
        continue;
      }
      if (!d.isObject()) {
        throw HttpError.validation(where + " must be a string or an object {id?, text, metadata?}, got " + kind(d));
      }
      String text = checkText(where + ".text", text(d, "text", true, where + ".text"));
      Object id = null;
      JsonNode idNode = d.get("id");
      if (idNode != null && !idNode.isNull()) {
        if (idNode.isTextual()) {
          id = idNode.asText();
        } else if (idNode.isIntegralNumber() && idNode.canConvertToLong()) {
          id = idNode.canConvertToInt() ? (Object) idNode.intValue() : (Object) idNode.longValue();
        } else {
          throw HttpError.validation(where + ".id must be a string or an integer, got " + kind(idNode));
        }
        withId++;
        Integer before = seen.put(idNode.isTextual() ? id : (Object) ((Number) id).longValue(), i);
        if (before != null) {
          throw HttpError.validation("documents[" + before + "] and " + where + " have the same id " + idNode);
        }
      }
      Map<String, Object> metadata = null;
      JsonNode meta = d.get("metadata");
      if (meta != null && !meta.isNull()) {
        if (!meta.isObject()) {
          throw HttpError.validation(where + ".metadata must be an object, got " + kind(meta));
        }
        metadata = toMap(meta);
      }
      docs.add(Document.of(id, text, metadata));
    }
    if (withId != 0 && withId != docs.size()) {
      throw HttpError.validation(withId + " of " + docs.size() + " documents have an id; give every document an id or none");
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMap(JsonNode obj) {
    return MAPPER.convertValue(obj, LinkedHashMap.class);
  }

  private JsonNode array(JsonNode root, String field) {
    JsonNode arr = root.get(field);
    if (arr == null || arr.isNull()) {
      throw HttpError.validation("'" + field + "' is missing: send a non-empty array of documents");
    }
    if (!arr.isArray()) {
      throw HttpError.validation("'" + field + "' must be an array, got " + kind(arr));
    }
    if (arr.isEmpty()) {
      throw HttpError.validation("'" + field + "' is empty: send at least one document");
    }
    if (arr.size() > maxDocuments) {
      throw HttpError.tooLarge("'" + field + "' has " + arr.size() + " documents; this server takes at most "
          + maxDocuments + " per request: split the request");
    }
    return arr;
  }

  private String checkText(String where, String text) {
    if (text.isEmpty()) {
      throw HttpError.validation(where + " is empty");
    }
    checkLength(where, text);
    return text;
  }

  private void checkLength(String where, String text) {
    if (text.length() > maxChars) {
      throw HttpError.tooLarge(where + " has " + text.length() + " characters; this server takes at most "
          + maxChars + ": shorten or split it");
    }
  }

  private static String text(JsonNode root, String field, boolean required) {
    return text(root, field, required, "'" + field + "'");
  }

  private static String text(JsonNode root, String field, boolean required, String where) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw HttpError.validation(where + " is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw HttpError.validation(where + " must be a string, got " + kind(v));
    }
    return v.asText();
  }

  private static boolean bool(JsonNode root, String field, boolean dflt) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw HttpError.validation("'" + field + "' must be true or false, got " + kind(v));
    }
    return v.booleanValue();
  }

  private static Integer positive(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
      throw HttpError.validation("'" + field + "' must be a positive integer, got " + kind(v));
    }
    return v.intValue();
  }

  /** Checks an optional positive-integer field the server accepts but does not apply. */
  private static void check(JsonNode root, String field) {
    positive(root, field);
  }

  static String kind(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String shown = cut(v.toString(), 40);
    return switch (v.getNodeType()) {
      case STRING -> "the string " + shown;
      case NUMBER -> "the number " + shown;
      case BOOLEAN -> shown;
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> v.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  private static String locate(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")";
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  // ---- answers -----------------------------------------------------------------------------

  /** The results in the call's dialect. */
  static JsonNode write(Call call, RankedResults results, String requestId, String modelName) {
    List<Result> rs = results.results();
    int shown = call.topN() == null ? rs.size() : Math.min(call.topN(), rs.size());
    Map<Object, Integer> positions = positions(call.documents());
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (call.dialect()) {
      case TEI -> {
        ArrayNode out = f.arrayNode(shown);
        for (int r = 0; r < shown; r++) {
          Result res = rs.get(r);
          ObjectNode o = out.addObject();
          o.put("index", positions.get(key(res.id())));
          double s = score(res, results);
          o.put("score", call.rawScores() ? s : sigmoid(s));
          if (call.returnText()) {
            o.put("text", res.text());
          }
        }
        return out;
      }
      case COHERE_V1, COHERE_V2 -> {
        ObjectNode out = f.objectNode();
        out.put("id", requestId);
        ArrayNode arr = out.putArray("results");
        for (int r = 0; r < shown; r++) {
          Result res = rs.get(r);
          ObjectNode o = arr.addObject();
          o.put("index", positions.get(key(res.id())));
          o.put("relevance_score", score(res, results));
          if (call.returnText()) {
            o.putObject("document").put("text", res.text());
          }
        }
        ObjectNode meta = out.putObject("meta");
        meta.putObject("api_version").put("version", call.dialect() == Dialect.COHERE_V1 ? "1" : "2");
        // what Cohere reports for a request of up to 100 documents; nothing is billed here
        meta.putObject("billed_units").put("search_units", (rs.size() + 99) / 100);
        return out;
      }
      default -> {
        ObjectNode out = f.objectNode();
        out.put("id", requestId);
        out.put("model", modelName);
        out.put("answered_by", results.answeredBy());
        out.put("query", results.query());
        ArrayNode arr = out.putArray("results");
        for (int r = 0; r < shown; r++) {
          Result res = rs.get(r);
          ObjectNode o = arr.addObject();
          o.put("rank", res.rank());
          o.put("index", positions.get(key(res.id())));
          o.set("id", MAPPER.valueToTree(res.id()));
          if (res.hasScore()) {
            o.put("score", res.score());
          } else {
            o.putNull("score");
          }
          if (call.returnText()) {
            o.put("text", res.text());
          }
          if (res.metadata() != null) {
            o.set("metadata", MAPPER.valueToTree(res.metadata()));
          }
        }
        ObjectNode usage = out.putObject("usage");
        results.usage().units().forEach(usage::put);
        out.put("elapsed_ms", results.elapsed().toNanos() / 1e6);
        return out;
      }
    }
  }

  /** A ranker that only orders documents (RankGPT) gives 1/rank, so TEI and Cohere clients get numbers. */
  private static double score(Result r, RankedResults all) {
    return r.hasScore() ? r.score() : 1.0 / r.rank();
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** Input position by document id (ids default to positions, so this is the identity then). */
  private static Map<Object, Integer> positions(List<Document> docs) {
    Map<Object, Integer> m = new HashMap<>(docs.size() * 2);
    for (int i = 0; i < docs.size(); i++) {
      Object id = docs.get(i).id();
      m.put(key(id == null ? (Object) i : id), i);
    }
    return m;
  }

  private static Object key(Object id) {
    return id instanceof Number n ? (Object) n.longValue() : id;
  }

  /** The JSON error body: {@code type} and {@code message}, TEI's {@code error}/{@code error_type}, the request id. */
  static byte[] error(HttpError e, String requestId) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", e.type());
    o.put("message", e.getMessage());
    o.put("error", e.getMessage());
    o.put("error_type", e.type());
    o.put("request_id", requestId);
    return bytes(o);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
