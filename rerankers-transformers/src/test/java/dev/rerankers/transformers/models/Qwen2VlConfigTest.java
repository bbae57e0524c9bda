package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Qwen2-VL configs in both layouts, with transformers' defaults, and clear errors. */
class Qwen2VlConfigTest {
  /** Qwen/Qwen2-VL-2B-Instruct's config.json (v4 flat layout), abridged to the keys read. */
  static final String HUB_2B = """
      {"architectures": ["Qwen2VLForConditionalGeneration"], "model_type": "qwen2_vl",
       "bos_token_id": 151643, "eos_token_id": 151645, "vision_start_token_id": 151652, "vision_end_token_id": 151653,
       "vision_token_id": 151654, "image_token_id": 151655, "video_token_id": 151656, "hidden_act": "silu",
       "hidden_size": 1536, "intermediate_size": 8960, "max_position_embeddings": 32768, "max_window_layers": 28,
       "num_attention_heads": 12, "num_hidden_layers": 28, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
       "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "use_sliding_window": false,
       "vocab_size": 151936,
       "vision_config": {"depth": 32, "embed_dim": 1280, "mlp_ratio": 4, "num_heads": 16, "in_chans": 3,
                         "hidden_size": 1536, "patch_size": 14, "spatial_merge_size": 2, "spatial_patch_size": 14,
                         "temporal_patch_size": 2},
       "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]}}""";

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String json) {
    return (Map<String, Object>) Json.parse(json);
  }

  @Test
  void should_read_the_hub_v4_flat_layout() {
    Qwen2VlConfig c = Qwen2VlConfig.from("2b", parse(HUB_2B));
    assertThat(c.text().family()).isEqualTo(DecoderConfig.Family.QWEN2);
    assertThat(c.text().headDim()).isEqualTo(128);
    assertThat(c.text().numKeyValueHeads()).isEqualTo(2);
    assertThat(c.text().tieWordEmbeddings()).isTrue();
    assertThat(c.text().qkvBias()).isTrue();
    assertThat(c.text().slidingWindows()).containsOnly(0);
    assertThat(c.text().rope().invFreq(1)[1]).isEqualTo((float) (1 / Math.pow(1e6, 2.0 / 128)), org.assertj.core.data.Offset.offset(1e-6f)); // theta 1e6 (float32 rounding of the power)
    assertThat(c.mropeSection()).containsExactly(16, 24, 24);
    assertThat(c.vision().mlpHidden()).isEqualTo(5120);
    assertThat(c.vision().hiddenAct()).isEqualTo("quick_gelu");
    assertThat(c.vision().inChannels()).isEqualTo(3);
    assertThat(c.vision().patchValues()).isEqualTo(3 * 2 * 14 * 14);
    assertThat(c.imageTokenId()).isEqualTo(151655);
  }

  @Test
  void should_fail_clearly_on_inconsistent_configs() {
    assertThatThrownBy(() -> Qwen2VlConfig.from("x", parse(HUB_2B.replace("\"rope_scaling\": {\"type\": \"mrope\", "
        + "\"mrope_section\": [16, 24, 24]}", "\"rope_scaling\": null")))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("mrope_section");
    assertThatThrownBy(() -> Qwen2VlConfig.from("x", parse(HUB_2B.replace("[16, 24, 24]", "[16, 24, 16]"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("head_dim");
    assertThatThrownBy(() -> Qwen2VlConfig.from("x", parse(HUB_2B.replace("\"hidden_size\": 1536, \"patch_size\"",
        "\"hidden_size\": 1024, \"patch_size\"")))).isInstanceOf(ConfigException.class).hasMessageContaining("merger");
    assertThatThrownBy(() -> Qwen2VlConfig.from("x", parse(HUB_2B.replace("\"type\": \"mrope\"", "\"type\": \"yarn\""))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("yarn");
    assertThatThrownBy(() -> Qwen2VlConfig.from("x", parse("{\"model_type\": \"qwen2\"}")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not Qwen2-VL");
  }
}
