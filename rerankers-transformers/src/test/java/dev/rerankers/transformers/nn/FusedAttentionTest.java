package dev.rerankers.transformers.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The fused kernel (torch's scaled_dot_product_attention through the shipped TorchScript module)
 * against the eager formula ({@code softmax(q kᵀ·scale + mask) v} as separate ops), on seeded
 * inputs: a padding mask [B, 1, 1, L], ModernBERT's band [B, 1, L, L] with a row whose every key is
 * masked (eager gives it uniform weights; so must the kernel), and no mask. Tolerance 1e-5, fp32.
 * The result lands in q's manager and nothing lands in a capped parent.
 */
class FusedAttentionTest {

  @Test
  void should_match_the_eager_formula_under_every_mask() {
    try (NDManager base = Placement.pytorch().newBaseManager(); NDManager m = base.newSubManager()) {
      base.cap();
      ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(7);
      int b = 3;
      int h = 4;
      int l = 9;
      int d = 8;
      NDArray q = m.randomNormal(new Shape(b, h, l, d));
      NDArray k = m.randomNormal(new Shape(b, h, l, d));
      NDArray v = m.randomNormal(new Shape(b, h, l, d));
      float scale = (float) (1 / Math.sqrt(d));
      long[] tokens = new long[b * l];
      Arrays.fill(tokens, 1L);
      Arrays.fill(tokens, l + 6, 2 * l, 0L); // row 1: 3 pads
      Arrays.fill(tokens, 2 * l + 2, 3 * l, 0L); // row 2: 7 pads
      NDArray ids = m.create(tokens, new Shape(b, l));
      NDArray padding = AttentionMask.padding(ids, DataType.FLOAT32);
      // a band of half-width 1: row 2's padding queries (positions 4..8) see only padding keys
      NDArray band = AttentionMask.paddingAndBand(ids, 1, DataType.FLOAT32);
      assertThat(FusedAttention.usable(q, k, v, padding)).as("fused path on for fp32 PyTorch").isTrue();
      double worst = 0;
      for (NDArray mask : new NDArray[] {padding, band, null}) {
        NDArray eager = Attention.weights(q, k, mask, scale).matMul(v);
        NDArray fused = FusedAttention.attend(q, k, v, mask, scale);
        assertThat(fused.getManager()).isSameAs(m);
        assertThat(fused.getShape()).isEqualTo(eager.getShape());
        double d1 = TestFiles.maxAbsDiff(fused.toFloatArray(), eager.toFloatArray());
        assertThat(d1).as("mask %s", mask == null ? "none" : mask.getShape()).isLessThanOrEqualTo(1e-5);
        worst = Math.max(worst, d1);
      }
      System.out.printf("fused attention vs eager (padding, band with fully masked rows, none): max|Δ| = %.3g%n", worst);
      // the public entry point takes the fused path and gives the eager numbers too
      double viaAttend = TestFiles.maxAbsDiff(Attention.attend(q, k, v, padding, scale).toFloatArray(),
          Attention.weights(q, k, padding, scale).matMul(v).toFloatArray());
      assertThat(viaAttend).isLessThanOrEqualTo(1e-5);
      // not for other dtypes
      assertThat(FusedAttention.usable(q.toType(DataType.FLOAT16, false), k, v, padding)).isFalse();
    }
  }
}
