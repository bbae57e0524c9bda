package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.ConfigException;
import java.util.List;

/**
 * Multimodal rotary position embeddings (M-RoPE, transformers' {@code Qwen2VLRotaryEmbedding} plus
 * {@code apply_multimodal_rotary_pos_emb}): every token has three position ids (temporal, height,
 * width); the rotary frequencies are split into three sections and section {@code s} rotates by
 * position id {@code s}. Text tokens carry the same id on all three axes, so for them this is
 * plain rotary. The tables use the {@code rotate_half} layout: apply them with {@link
 * Rotary#apply}.
 *
 * <p>Immutable and thread-safe.
 */
public final class MultimodalRotary {
  private final int dim;
  private final int[] axisOfFrequency;

  /**
   * @param headDim the rotated channels (even)
   * @param section how many of the {@code headDim / 2} frequencies follow the temporal, height and
   *     width ids, in that order ({@code mrope_section})
   * @throws ConfigException when the sections do not cover the frequencies
   */
  public MultimodalRotary(int headDim, List<Integer> section) {
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new ConfigException("rotary dimension must be even and positive, got " + headDim);
    }
    if (section.size() != 3 || section.stream().mapToInt(Integer::intValue).sum() != headDim / 2
        || section.stream().anyMatch(s -> s < 0)) {
      throw new ConfigException("mrope_section " + section + " must be 3 non-negative sizes summing to head_dim/2 = "
          + headDim / 2);
    }
    this.dim = headDim;
    this.axisOfFrequency = new int[headDim / 2];
    int f = 0;
    for (int axis = 0; axis < 3; axis++) {
      for (int i = 0; i < section.get(axis); i++) {
        axisOfFrequency[f++] = axis;
      }
    }
  }

  /**
   * cos and sin tables [B, 1, L, headDim] in the given manager and dtype.
   *
   * @param positions position ids [3][B][L] (temporal, height, width)
   * @param invFreq the {@code headDim / 2} inverse frequencies (e.g. {@link
   *     RotaryScaling#invFreq})
   * @param attentionFactor the factor on cos and sin (1 for default rope)
   */
  public NDList tables(NDManager manager, long[][][] positions, float[] invFreq, float attentionFactor, DataType type) {
    if (positions.length != 3) {
      throw new IllegalArgumentException("M-RoPE needs 3 position axes, got " + positions.length);
    }
    if (invFreq.length != dim / 2) {
      throw new IllegalArgumentException(invFreq.length + " inverse frequencies for head_dim " + dim);
    }
    int b = positions[0].length;
    int len = b == 0 ? 0 : positions[0][0].length;
    int half = dim / 2;
    float[] cos = new float[b * len * dim];
    float[] sin = new float[b * len * dim];
    for (int r = 0; r < b; r++) {
      for (int p = 0; p < len; p++) {
        int base = (r * len + p) * dim;
        for (int i = 0; i < half; i++) {
          // transformers: inv_freq (fp32) @ position (fp32), then cos/sin in fp32
          float angle = invFreq[i] * (float) positions[axisOfFrequency[i]][r][p];
          float c = (float) Math.cos(angle) * attentionFactor;
          float s = (float) Math.sin(angle) * attentionFactor;
          cos[base + i] = c;
          cos[base + i + half] = c;
          sin[base + i] = s;
          sin[base + i + half] = s;
        }
      }
    }
    NDArray c = manager.create(cos).reshape(b, 1, len, dim);
    NDArray s = manager.create(sin).reshape(b, 1, len, dim);
    if (type != DataType.FLOAT32) {
      c = c.toType(type, false);
      s = s.toType(type, false);
    }
    return new NDList(c, s);
  }
}
