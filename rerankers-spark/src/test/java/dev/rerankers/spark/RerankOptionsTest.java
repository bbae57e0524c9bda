package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Option values are checked where they are set, survive serialization, and never show a key. */
class RerankOptionsTest {
  @Test
  void defaults_and_derived_options() {
    RerankOptions o = RerankOptions.builder("dense").build();
    assertThat(o.queryIdCol()).isEqualTo("query_id");
    assertThat(o.textCol()).isEqualTo("text");
    assertThat(o.scoreCol()).isEqualTo("score");
    assertThat(o.onError()).isEqualTo(OnError.FAIL);
    assertThat(o.batchPairs()).isEqualTo(1024);
    assertThat(o.toBuilder().topK(5).build()).isEqualTo(RerankOptions.builder("dense").topK(5).build());
  }

  @Test
  void bad_values_name_the_option() {
    assertThatThrownBy(() -> RerankOptions.builder(" ").build()).hasMessageContaining("spec must be");
    assertThatThrownBy(() -> RerankOptions.builder("dense").topK(-1)).hasMessageContaining("topK must be >= 0");
    assertThatThrownBy(() -> RerankOptions.builder("dense").batchPairs(0)).hasMessageContaining("batchPairs");
    assertThatThrownBy(() -> RerankOptions.builder("dense").textCol("")).hasMessageContaining("textCol");
    assertThatThrownBy(() -> RerankOptions.builder("dense").rankCol("score").build())
        .hasMessageContaining("'score' is used twice");
    assertThatThrownBy(() -> OnError.parse("skip")).hasMessageContaining("onError must be fail or null");
  }

  @Test
  void a_key_in_the_spec_is_masked_everywhere_but_travels_intact() throws Exception {
    String key = "co-0123456789abcdefghijklmnopqrstuv";
    RerankOptions o = RerankOptions.builder("cohere:rerank-v3.5?apiKey=" + key).build();
    assertThat(o.toString()).doesNotContain(key).contains("apiKey=");
    assertThat(o.maskedSpec()).doesNotContain(key);
    assertThat(o.toBuilder().toString()).doesNotContain(key);
    assertThat(o.specHoldsSecret()).isTrue();
    assertThat(RerankOptions.builder("dense").build().specHoldsSecret()).isFalse();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(o);
    }
  }
}
