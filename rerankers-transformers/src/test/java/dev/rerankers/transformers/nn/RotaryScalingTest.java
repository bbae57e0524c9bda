package dev.rerankers.transformers.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.testing.TestFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inverse frequencies and attention factors of each rope type against transformers' own {@code
 * ROPE_INIT_FUNCTIONS} (src/test/resources/rope, written by make_rope.py). Relative tolerance 1e-6.
 */
class RotaryScalingTest {

  @Test
  @SuppressWarnings("unchecked")
  void should_match_transformers_rope_init_functions() {
    Map<String, Object> expected = TestFiles.json(TestFiles.resource("rope").resolve("expected.json"));
    int dim = ((Number) expected.get("head_dim")).intValue();
    int maxPos = ((Number) expected.get("max_position_embeddings")).intValue();
    for (Map<String, Object> c : (List<Map<String, Object>>) expected.get("cases")) {
      Map<String, Object> rope = (Map<String, Object>) c.get("rope");
      double theta = ((Number) rope.get("rope_theta")).doubleValue();
      RotaryScaling r = RotaryScaling.fromParameters(dim, theta, maxPos, rope::get);
      int length = c.get("seq_len") == null ? 16 : ((Number) c.get("seq_len")).intValue();
      float[] want = TestFiles.floats(c.get("inv_freq"));
      float[] got = r.invFreq(length);
      assertThat(got).hasSize(want.length);
      for (int i = 0; i < want.length; i++) {
        assertThat((double) got[i]).as("%s inv_freq[%d]", c.get("name"), i)
            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(want[i]) + 1e-12));
      }
      assertThat((double) r.attentionFactor()).as("%s attention factor", c.get("name"))
          .isCloseTo(((Number) c.get("attention_factor")).doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void should_reject_unknown_types_and_bad_factors() {
    assertThatThrownBy(() -> RotaryScaling.fromParameters(16, 10000, 512, Map.<String, Object>of("rope_type", "longrope")::get))
        .isInstanceOf(ConfigException.class).hasMessageContaining("longrope");
    assertThatThrownBy(() -> RotaryScaling.linear(16, 10000, 0.5)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> RotaryScaling.plain(15, 10000)).isInstanceOf(ConfigException.class);
  }
}
