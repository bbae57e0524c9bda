package dev.rerankers.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.rerankers.RerankerException;
import java.io.IOException;

/**
 * Writes a JSON value on one line in the readable form the command line prints: {@code {"rank":
 * 1, "id": 3}} (a space after each colon and comma). Thread-safe.
 */
final class OneLineJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER = MAPPER.writer(new SpacedPrinter());

  private OneLineJson() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The value as one line of JSON. */
  static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new RerankerException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Minimal printing plus a space after ':' and ','. */
  private static final class SpacedPrinter extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
