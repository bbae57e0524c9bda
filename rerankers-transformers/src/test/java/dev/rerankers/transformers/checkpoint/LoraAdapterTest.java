package dev.rerankers.transformers.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA merging against the formula computed here in double precision: {@code W + scale·B·A}
 * (transposed with fan_in_fan_out), scale {@code alpha/r} or {@code alpha/√r} (rsLoRA), rank and
 * alpha patterns, transformers 4/5 module names; and the clear failures. The merge against a
 * Python reference is in rerankers-monovlm's LoraMergeTest.
 */
class LoraAdapterTest {
  /** Absolute: merged values reach ~20, where a float32 ulp is ~2e-6. */
  static final double TOLERANCE = 1e-5;

  @TempDir Path dir;

  private final Random random = new Random(7);

  private float[] randoms(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) random.nextGaussian();
    }
    return f;
  }

  /** W + scale · (B·A) (or its transpose), in double. */
  private static float[] merge(float[] w, float[] b, float[] a, int out, int r, int in, double scale, boolean t) {
    float[] m = w.clone();
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        double s = 0;
        for (int k = 0; k < r; k++) {
          s += (double) b[o * r + k] * a[k * in + i];
        }
        int idx = t ? i * out + o : o * in + i;
        m[idx] = (float) (m[idx] + scale * s);
      }
    }
    return m;
  }

  @Test
  void should_merge_scaled_products_with_patterns_and_v4_v5_module_names() throws IOException {
    Path base = Files.createDirectories(dir.resolve("base"));
    Path adapter = Files.createDirectories(dir.resolve("adapter"));
    float[] q = randoms(3 * 4);
    float[] o = randoms(4 * 3);
    float[] untouched = randoms(5);
    new SafetensorsWriter()
        .f32("model.language_model.layers.0.self_attn.q_proj.weight", new long[] {3, 4}, q) // transformers 5 name
        .f32("model.language_model.layers.0.self_attn.o_proj.weight", new long[] {4, 3}, o)
        .f32("model.language_model.norm.weight", new long[] {5}, untouched)
        .write(base.resolve("model.safetensors"));
    float[] qa = randoms(2 * 4);
    float[] qb = randoms(3 * 2);
    float[] oa = randoms(1 * 3);
    float[] ob = randoms(4 * 1);
    new SafetensorsWriter() // transformers 4 names, as PEFT saved them
        .f32("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new long[] {2, 4}, qa)
        .f32("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", new long[] {3, 2}, qb)
        .f32("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight", new long[] {1, 3}, oa)
        .f32("base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight", new long[] {4, 1}, ob)
        .write(adapter.resolve("adapter_model.safetensors"));
    Files.writeString(adapter.resolve("adapter_config.json"), """
        {"peft_type": "LORA", "r": 2, "lora_alpha": 6, "target_modules": ["q_proj", "o_proj"],
         "rank_pattern": {"o_proj": 1}, "alpha_pattern": {"layers\\\\.0\\\\.self_attn\\\\.o_proj": 5},
         "base_model_name_or_path": "some/base", "bias": "none", "use_dora": false, "modules_to_save": null}""");

    try (Weights w = Weights.open(ModelSource.local(base), Placement.cpu());
        LoraAdapter lora = LoraAdapter.open(ModelSource.local(adapter), Placement.cpu())) {
      assertThat(LoraAdapter.isAdapter(ModelSource.local(adapter))).isTrue();
      assertThat(lora.baseModel()).contains("some/base");
      assertThat(lora.modules()).extracting(LoraAdapter.Module::rank).containsExactly(1, 2);
      assertThat(lora.modules()).extracting(LoraAdapter.Module::scale).containsExactly(5.0, 3.0);
      lora.mergeInto(w);
      assertThat(w.pendingDeltas()).hasSize(2);
      float[] gotQ = w.get("model.language_model.layers.0.self_attn.q_proj.weight").toFloatArray();
      assertThatThrownBy(() -> lora.checkMerged(w)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("never loads").hasMessageContaining("o_proj");
      float[] gotO = w.get("model.language_model.layers.0.self_attn.o_proj.weight").toFloatArray();
      lora.checkMerged(w);
      double dq = maxDiff(gotQ, merge(q, qb, qa, 3, 2, 4, 3.0, false));
      double dO = maxDiff(gotO, merge(o, ob, oa, 4, 1, 3, 5.0, false));
      System.out.printf("LoRA merge max|Δ| q = %.3g, o = %.3g (tolerance %.0e)%n", dq, dO, TOLERANCE);
      assertThat(dq).isLessThanOrEqualTo(TOLERANCE);
      assertThat(dO).isLessThanOrEqualTo(TOLERANCE);
      assertThat(maxDiff(gotQ, q)).isGreaterThan(1e-2); // the update is not negligible
      assertThat(w.get("model.language_model.norm.weight").toFloatArray()).containsExactly(untouched);
    }
  }

  @Test
  void should_transpose_for_fan_in_fan_out_and_scale_by_root_r_with_rslora() throws IOException {
    Path base = Files.createDirectories(dir.resolve("base"));
    Path adapter = Files.createDirectories(dir.resolve("adapter"));
    float[] c = randoms(4 * 6); // GPT-2 Conv1D layout [in, out]
    new SafetensorsWriter().f32("h.0.attn.c_attn.weight", new long[] {4, 6}, c).write(base.resolve("model.safetensors"));
    float[] a = randoms(4 * 4);
    float[] b = randoms(6 * 4);
    new SafetensorsWriter()
        .f32("base_model.model.h.0.attn.c_attn.lora_A.weight", new long[] {4, 4}, a)
        .f32("base_model.model.h.0.attn.c_attn.lora_B.weight", new long[] {6, 4}, b)
        .write(adapter.resolve("adapter_model.safetensors"));
    Files.writeString(adapter.resolve("adapter_config.json"), """
        {"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ".*c_attn", "fan_in_fan_out": true,
         "use_rslora": true}""");
    try (Weights w = Weights.open(ModelSource.local(base), Placement.cpu());
        LoraAdapter lora = LoraAdapter.open(ModelSource.local(adapter), Placement.cpu())) {
      lora.mergeInto(w);
      float[] got = w.get("h.0.attn.c_attn.weight").toFloatArray();
      lora.checkMerged(w);
      double d = maxDiff(got, merge(c, b, a, 6, 4, 4, 8 / Math.sqrt(4), true));
      System.out.printf("LoRA merge (fan_in_fan_out, rsLoRA) max|Δ| = %.3g (tolerance %.0e)%n", d, TOLERANCE);
      assertThat(d).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void should_refuse_unsupported_or_inconsistent_adapters_clearly() throws IOException {
    Path base = Files.createDirectories(dir.resolve("base"));
    new SafetensorsWriter().f32("model.layers.0.mlp.up_proj.weight", new long[] {3, 2}, randoms(6))
        .write(base.resolve("model.safetensors"));
    String ok = "\"r\": 1, \"lora_alpha\": 1, \"target_modules\": [\"up_proj\"]";
    SafetensorsWriter good = new SafetensorsWriter()
        .f32("base_model.model.model.layers.0.mlp.up_proj.lora_A.weight", new long[] {1, 2}, randoms(2))
        .f32("base_model.model.model.layers.0.mlp.up_proj.lora_B.weight", new long[] {3, 1}, randoms(3));

    assertThatThrownBy(() -> open("dora", "{" + ok + ", \"use_dora\": true}", good))
        .isInstanceOf(ConfigException.class).hasMessageContaining("DoRA");
    assertThatThrownBy(() -> open("bias", "{" + ok + ", \"bias\": \"lora_only\"}", good))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bias");
    assertThatThrownBy(() -> open("save", "{" + ok + ", \"modules_to_save\": [\"score\"]}", good))
        .isInstanceOf(ConfigException.class).hasMessageContaining("modules_to_save");
    assertThatThrownBy(() -> open("ia3", "{" + ok + ", \"peft_type\": \"IA3\"}", good))
        .isInstanceOf(ConfigException.class).hasMessageContaining("IA3");
    assertThatThrownBy(() -> open("target", "{\"r\": 1, \"lora_alpha\": 1, \"target_modules\": [\"down_proj\"]}", good))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("does not select");
    assertThatThrownBy(() -> open("rank", "{\"r\": 2, \"lora_alpha\": 1, \"target_modules\": [\"up_proj\"]}", good))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("rank is 2");
    SafetensorsWriter embedding = new SafetensorsWriter()
        .f32("base_model.model.model.embed_tokens.lora_embedding_A", new long[] {1, 2}, randoms(2));
    assertThatThrownBy(() -> open("emb", "{" + ok + "}", embedding))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a LoRA A/B matrix");
    SafetensorsWriter other = new SafetensorsWriter()
        .f32("base_model.model.model.layers.1.mlp.up_proj.lora_A.weight", new long[] {1, 2}, randoms(2))
        .f32("base_model.model.model.layers.1.mlp.up_proj.lora_B.weight", new long[] {3, 1}, randoms(3));
    SafetensorsWriter wide = new SafetensorsWriter()
        .f32("base_model.model.model.layers.0.mlp.up_proj.lora_A.weight", new long[] {1, 5}, randoms(5))
        .f32("base_model.model.model.layers.0.mlp.up_proj.lora_B.weight", new long[] {3, 1}, randoms(3));
    try (Weights w = Weights.open(ModelSource.local(base), Placement.cpu())) {
      try (LoraAdapter lora = open("missing", "{" + ok + "}", other)) {
        assertThatThrownBy(() -> lora.mergeInto(w)).isInstanceOf(CheckpointException.class)
            .hasMessageContaining("model.layers.1.mlp.up_proj").hasMessageContaining("base_model_name_or_path");
      }
      try (LoraAdapter lora = open("shape", "{" + ok + "}", wide)) {
        assertThatThrownBy(() -> lora.mergeInto(w)).isInstanceOf(CheckpointException.class)
            .hasMessageContaining("[3, 2]");
      }
    }
  }

  private LoraAdapter open(String name, String config, SafetensorsWriter tensors) throws IOException {
    Path a = Files.createDirectories(dir.resolve(name));
    tensors.write(a.resolve("adapter_model.safetensors"));
    Files.writeString(a.resolve("adapter_config.json"), config);
    return LoraAdapter.open(ModelSource.local(a), Placement.cpu());
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
