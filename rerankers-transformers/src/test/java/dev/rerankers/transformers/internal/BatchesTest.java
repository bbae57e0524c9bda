package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.InferenceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void cpu_passes_keep_each_under_the_budget_in_batch_order() {
    int[] rows = {7, 3, 9, 1, 4};
    long perRow = Batches.CPU_PASS_BYTES / 2; // two rows fit
    List<int[]> passes = Batches.passes(rows, perRow, true);
    assertThat(passes).containsExactly(new int[] {7, 3}, new int[] {9, 1}, new int[] {4});
  }

  @Test
  void a_row_larger_than_the_budget_runs_alone_and_other_devices_never_split() {
    int[] rows = {0, 1, 2};
    assertThat(Batches.passes(rows, Batches.CPU_PASS_BYTES * 4, true))
        .containsExactly(new int[] {0}, new int[] {1}, new int[] {2});
    assertThat(Batches.passes(rows, Batches.CPU_PASS_BYTES * 4, false)).containsExactly(new int[] {0, 1, 2});
    assertThat(Batches.passes(rows, 1, true)).containsExactly(new int[] {0, 1, 2});
  }

  @Test
  void ids_outside_the_vocabulary_are_refused_before_native_code() {
    Batches.checkIds(new long[] {0, 5, 9}, 10, "m");
    assertThatThrownBy(() -> Batches.checkIds(new long[] {3, 10}, 10, "org/m"))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("token id 10 is outside the vocabulary of org/m (size 10)");
  }
}
