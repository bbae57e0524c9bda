package dev.rerankers.colbert.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MaxSim on the engine against a plain Java loop, and the score rules of both recipes. */
class MaxSimTest {

  static float[] unitVectors(Random r, int n, int dim) {
    float[] v = new float[n * dim];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        v[i * dim + k] = (float) r.nextGaussian();
        norm += v[i * dim + k] * v[i * dim + k];
      }
      for (int k = 0; k < dim; k++) {
        v[i * dim + k] /= (float) Math.sqrt(norm);
      }
    }
    return v;
  }

  static float[][] naive(float[] q, int dim, List<float[]> docs) {
    int nq = q.length / dim;
    float[][] out = new float[docs.size()][nq];
    for (int d = 0; d < docs.size(); d++) {
      float[] v = docs.get(d);
      for (int i = 0; i < nq; i++) {
        float best = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < v.length / dim; t++) {
          float s = 0;
          for (int k = 0; k < dim; k++) {
            s += q[i * dim + k] * v[t * dim + k];
          }
          best = Math.max(best, s);
        }
        out[d][i] = best;
      }
    }
    return out;
  }

  @Test
  void should_equal_a_plain_loop_for_one_token_and_long_documents_in_several_groups() {
    Random r = new Random(42);
    int dim = 16;
    float[] q = unitVectors(r, 9, dim);
    List<float[]> docs = new ArrayList<>();
    for (int len : new int[] {1, 300, 3, 1, 47, 2, 128, 1}) {
      docs.add(unitVectors(r, len, dim));
    }
    float[][] expected = naive(q, dim, docs);
    try (NDManager m = Placement.pytorch().newBaseManager()) {
      for (long group : new long[] {MaxSim.GROUP_FLOATS, 300L * dim, 1}) { // one group, a few, one per document
        float[][] actual = MaxSim.tokenMaxima(m, q, dim, docs, group);
        for (int d = 0; d < docs.size(); d++) {
          for (int i = 0; i < expected[d].length; i++) {
            assertThat(actual[d][i]).as("doc %d query vector %d, groups of %d floats", d, i, group)
                .isCloseTo(expected[d][i], within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void should_divide_the_sum_and_floor_shorter_documents_at_zero_only_when_zero_padded() {
    float[][] maxima = {{0.5f, -0.25f}, {0.5f, -0.25f}};
    int[] counts = {3, 7};
    assertThat(MaxSim.scores(maxima, counts, 2, false)).containsExactly(0.125, 0.125);
    // PyLate: the 3-vector document is padded with zero vectors up to 7, so its -0.25 becomes 0
    assertThat(MaxSim.scores(maxima, counts, 2, true)).containsExactly(0.25, 0.125);
  }

  @Test
  void should_compute_pythons_dynamic_query_and_document_lengths() {
    int[][] qlen = {{1, 9}, {8, 16}, {9, 16}, {16, 24}, {19, 27}, {24, 32}, {25, 32}, {31, 32}, {32, 40}, {41, 48},
        {49, 57}, {57, 64}, {510, 512}};
    for (int[] c : qlen) {
      assertThat(ColbertRecipe.augmentedQueryLength(c[0])).as("QLEN of %d", c[0]).isEqualTo(c[1]);
    }
    assertThat(ColbertRecipe.documentMaxLength(3, 510)).isEqualTo(32);
    assertThat(ColbertRecipe.documentMaxLength(32, 510)).isEqualTo(32);
    assertThat(ColbertRecipe.documentMaxLength(33, 510)).isEqualTo(64);
    assertThat(ColbertRecipe.documentMaxLength(600, 510)).isEqualTo(510);
    assertThat(ColbertRecipe.documentMaxLength(5, 3)).isEqualTo(3);
  }

  @Test
  void should_truncate_text_tokens_and_keep_the_template() {
    SpecialTokenLayout t = new SpecialTokenLayout(1, 1);
    assertThat(t.truncate(new long[] {101, 1, 2, 3, 102}, 4)).containsExactly(101, 1, 2, 102);
    assertThat(t.truncate(new long[] {101, 1, 2, 3, 102}, 2)).containsExactly(101, 102);
    assertThat(t.truncate(new long[] {101, 1, 102}, 5)).containsExactly(101, 1, 102);
    assertThat(new SpecialTokenLayout(0, 2).truncate(new long[] {1, 2, 3, 8, 9}, 3)).containsExactly(1, 8, 9);
    assertThat(SpecialTokenLayout.insertAfterFirst(new long[] {101, 102}, 7)).containsExactly(101, 7, 102);
    assertThat(SpecialTokenLayout.insertAfterFirst(new long[0], 7)).containsExactly(7);
    assertThat(PythonText.strip("\u00a0 \t x y \u2003\n")).isEqualTo("x y");
  }
}
