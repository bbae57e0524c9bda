package dev.rerankers.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of the wire (request bodies, provider answers) through Jackson's tree model (no data binding, no reflection). NaN and Infinity tokens are
 * accepted when reading so that a provider sending them gets a precise "score is NaN" error rather
 * than a parse error. The mapper is configured once and only read afterwards, so sharing it is
 * safe.
 */
final class WireJson {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private WireJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A constant field's value: a boolean, a number or a string. */
  static JsonNode value(Object v) {
    if (v instanceof Boolean b) {
      return JsonNodeFactory.instance.booleanNode(b);
    }
    if (v instanceof Integer i) {
      return JsonNodeFactory.instance.numberNode(i);
    }
    if (v instanceof String s) {
      return JsonNodeFactory.instance.textNode(s);
    }
    throw new IllegalArgumentException("not a constant JSON value: " + v);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a response body.
   *
   * @throws BadAnswer when it is not JSON
   */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw new BadAnswer("the response body is empty");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadAnswer(
          "the response is not valid JSON ("
              + e.getOriginalMessage()
              + "); it starts with: "
              + Snippet.of(new String(body, StandardCharsets.UTF_8), 120),
          e);
    } catch (IOException e) {
      throw new BadAnswer("the response cannot be read: " + e.getMessage(), e);
    }
  }
}
