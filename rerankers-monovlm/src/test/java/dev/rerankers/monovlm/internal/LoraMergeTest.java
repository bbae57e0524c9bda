package dev.rerankers.monovlm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.hub.ModelSource;
import dev.rerankers.monovlm.testing.Fixture;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.LoraAdapter;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixture's LoRA adapter (regex target_modules over the language model's projections and the
 * vision blocks' qkv, rank_pattern/alpha_pattern on o_proj) merged into the tiny Qwen2-VL equals
 * the reference merge PyTorch computed, tensor by tensor. Tolerance 1e-6 absolute (values O(1);
 * the rank-4 products are summed in a different order).
 */
class LoraMergeTest {
  static final double TOLERANCE = 1e-6;

  @Test
  void should_equal_the_reference_merge() {
    Map<String, Object> expected = Fixture.expected();
    @SuppressWarnings("unchecked")
    List<String> keys = (List<String>) TestFiles.map(expected.get("lora")).get("merged_keys");
    Path dir = Fixture.dir();
    try (Weights base = Weights.open(ModelSource.local(dir.resolve("tiny-qwen2vl")), Placement.cpu());
        LoraAdapter lora = LoraAdapter.open(ModelSource.local(dir.resolve("tiny-lora")), Placement.cpu());
        Weights reference = Weights.open(List.of(dir.resolve("lora-merged.safetensors")), Placement.cpu())) {
      assertThat(lora.baseModel()).contains("../tiny-qwen2vl");
      assertThat(lora.modules()).hasSize(keys.size());
      lora.mergeInto(base);
      assertThat(base.pendingDeltas()).containsExactlyInAnyOrderElementsOf(keys);
      double worst = 0;
      for (String key : keys) {
        float[] got = base.get(key).toFloatArray();
        float[] want = reference.get(key).toFloatArray();
        double d = TestFiles.maxAbsDiff(got, want);
        worst = Math.max(worst, d);
        assertThat(d).as(key).isLessThanOrEqualTo(TOLERANCE);
      }
      lora.checkMerged(base);
      System.out.printf("LoRA merge of %d tensors vs PyTorch: max|Δ| = %.3g (tolerance %.0e)%n", keys.size(), worst,
          TOLERANCE);
      // an untouched tensor is the base's own
      float[] norm = base.get("model.norm.weight").toFloatArray();
      assertThat(norm).hasSize(32);
    }
  }
}
