package dev.rerankers.llmlayerwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import org.junit.jupiter.api.Test;

/** Option validation and what the loaded rankers report. */
class LlmOptionsTest {
  static String dir(String name) {
    return TestFiles.resource("llm/" + name).toString();
  }

  @Test
  void should_reject_a_cutoff_layer_without_a_head() {
    assertThatThrownBy(() -> Reranker.builder(dir("bge-reranker-v2-minicpm-layerwise")).type("llm-layerwise")
        .option("cutoffLayers", "5").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("cutoff layer 5").hasMessageContaining("8..40");
    assertThatThrownBy(() -> Reranker.builder(dir("bge-reranker-v2-minicpm-layerwise")).type("llm-layerwise")
        .option("cutoffLayers", "28,x").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("cutoffLayers");
  }

  @Test
  void should_reject_compression_for_minicpm_and_layer_options_for_plain_models() {
    assertThatThrownBy(() -> Reranker.builder(dir("bge-reranker-v2-minicpm-layerwise")).type("llm-layerwise")
        .option("compressRatio", "2").option("compressLayers", "10").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("compression");
    assertThatThrownBy(() -> Reranker.builder(dir("bge-reranker-v2-gemma")).type("llm-layerwise")
        .option("cutoffLayers", "2").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("'Yes' logit");
    assertThatThrownBy(() -> Reranker.builder(dir("qwen3-reranker")).type("qwen3-reranker")
        .option("cutoffLayers", "2").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("cutoffLayers");
  }

  @Test
  void should_report_the_score_rule_and_prompt_settings() {
    try (Reranker r = Reranker.builder(dir("bge-reranker-v2-minicpm-layerwise")).type("llm-layerwise").build()) {
      assertThat(r.info().backend()).isEqualTo("llmlayerwise");
      assertThat(r.info().details()).containsEntry("architecture", "LayerWiseMiniCPMForCausalLM")
          .containsEntry("cutoffLayers", "[28]").containsEntry("scoringHead", "lm_head.20.linear_head.weight")
          .containsEntry("maxLength", "512").containsEntry("batchSize", "16");
    }
    try (Reranker r = Reranker.builder(dir("qwen3-reranker")).type("qwen3-reranker").build()) {
      assertThat(r.info().details()).containsEntry("instruction",
          "Given a web search query, retrieve relevant passages that answer the query").containsEntry("maxLength", "8192");
    }
    try (Reranker r = Reranker.builder(dir("bge-reranker-v2-gemma")).type("llm-layerwise").build()) {
      assertThat(r.info().details()).containsEntry("score", "logit(\"Yes\")").containsEntry("architecture", "GemmaForCausalLM");
    }
  }
}
