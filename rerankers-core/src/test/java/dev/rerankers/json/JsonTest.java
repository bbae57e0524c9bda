package dev.rerankers.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  @SuppressWarnings("unchecked")
  void parses_every_value_kind() {
    Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"x\\n\\u00e9\\\"\"}, \"big\": 12345678901234567890} ");
    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat((List<Object>) m.get("a")).containsExactly(1L, -25.0, true, false, null);
    assertThat(((Map<?, ?>) m.get("b")).get("c")).isEqualTo("x\né\"");
    assertThat(m.get("big")).isEqualTo(1.2345678901234567e19);
  }

  @Test
  void keeps_every_integer_a_long_holds_as_a_long() {
    assertThat(Json.parse("4611686018427387904")).isEqualTo(1L << 62);
    assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
  }

  @Test
  void rejects_malformed_input_with_the_offset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }")).hasMessageContaining("offset 6");
    assertThatThrownBy(() -> Json.parse("[1, 2")).hasMessageContaining("end of input");
    assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Json.parse("[".repeat(10_000))).hasMessageContaining("nesting");
  }

  @Test
  void quotes_round_trip() {
    String s = "tab\there \"quoted\" back\\slash \u0001 é";
    assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
  }
}
