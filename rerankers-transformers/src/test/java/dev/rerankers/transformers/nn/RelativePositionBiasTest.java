package dev.rerankers.transformers.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.TestFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * T5's relative position buckets against transformers' own {@code
 * T5Attention._relative_position_bucket} (golden/t5_relative_buckets.json, made by
 * src/test/python/make_t5_fixtures.py): relative positions −300..300, bidirectional and causal, four
 * (num_buckets, max_distance) settings, exact equality.
 */
class RelativePositionBiasTest {

  @Test
  @SuppressWarnings("unchecked")
  void should_bucket_every_relative_position_as_transformers() {
    Map<String, Object> ref = TestFiles.json(TestFiles.resource("golden/t5_relative_buckets.json"));
    long[] rel = TestFiles.longs(ref.get("relative_positions"));
    List<Map<String, Object>> settings = (List<Map<String, Object>>) ref.get("settings");
    assertThat(settings).hasSize(8);
    for (Map<String, Object> s : settings) {
      boolean bidirectional = (Boolean) s.get("bidirectional");
      int buckets = ((Number) s.get("num_buckets")).intValue();
      int distance = ((Number) s.get("max_distance")).intValue();
      long[] expected = TestFiles.longs(s.get("buckets"));
      long[] actual = new long[rel.length];
      for (int i = 0; i < rel.length; i++) {
        actual[i] = RelativePositionBias.bucket((int) rel[i], bidirectional, buckets, distance);
      }
      assertThat(actual).as("bidirectional=%s buckets=%d max_distance=%d", bidirectional, buckets, distance)
          .containsExactly(expected);
    }
  }

  @Test
  void should_lay_buckets_out_as_key_minus_query() {
    // causal, 32 buckets: key after query → bucket 0; key k steps before → bucket k (exact part)
    long[] b = RelativePositionBias.buckets(3, 3, false, 32, 128);
    assertThat(b).containsExactly(0, 0, 0, 1, 0, 0, 2, 1, 0);
    // bidirectional: later keys use the upper half (16 + distance)
    long[] bi = RelativePositionBias.buckets(2, 2, true, 32, 128);
    assertThat(bi).containsExactly(0, 17, 1, 0);
  }
}
