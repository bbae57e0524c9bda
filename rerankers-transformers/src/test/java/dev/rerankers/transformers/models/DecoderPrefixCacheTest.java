package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.checkpoint.Placement;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prefix run once ({@link DecoderModel#prefill}) and rows continued from its keys and values give
 * the hidden states of the whole sequences, on the golden decoders (Gemma2's layer 0 has a sliding
 * window of 6, crossed here by a prefix of 7); the feed-forward in chunks of one token gives the
 * unchunked result. Rows: a shared prefix of golden token ids, then different continuations of
 * different lengths, right-padded. Tolerance 1e-5 absolute, fp32.
 */
class DecoderPrefixCacheTest {
  static final double TOLERANCE = 1e-5;

  @ParameterizedTest
  @ValueSource(strings = {"GemmaForCausalLM", "Gemma2ForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM"})
  void should_continue_a_cached_prefix_as_the_whole_sequence_runs(String arch) {
    Path dir = TestFiles.resource("golden/" + arch);
    Map<String, Object> expected = TestFiles.json(dir.resolve("expected.json"));
    long[] golden = TestFiles.longs(((Map<?, ?>) expected.get("inputs")).get("input_ids"));
    int p = 7;
    long[] prefix = Arrays.copyOf(golden, p);
    // continuations of 5, 3 and 1 tokens: golden ids from later in the fixture
    long[][] tails = {Arrays.copyOfRange(golden, 12, 17), Arrays.copyOfRange(golden, 20, 23), {golden[25]}};
    int width = 5;
    int rows = tails.length;
    long[] full = new long[rows * (p + width)];
    long[] fullMask = new long[full.length];
    long[] suffix = new long[rows * width];
    long[] suffixMask = new long[suffix.length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(prefix, 0, full, r * (p + width), p);
      System.arraycopy(tails[r], 0, full, r * (p + width) + p, tails[r].length);
      Arrays.fill(fullMask, r * (p + width), r * (p + width) + p + tails[r].length, 1L);
      System.arraycopy(tails[r], 0, suffix, r * width, tails[r].length);
      Arrays.fill(suffixMask, r * width, r * width + tails[r].length, 1L);
    }
    try (CausalLm lm = CausalLm.load(ModelSource.local(dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      lm.weights().manager().cap();
      DecoderModel d = lm.decoder();
      NDArray whole = d.forward(batch.create(full, new Shape(rows, p + width)),
          batch.create(fullMask, new Shape(rows, p + width)));
      DecoderModel.PrefixCache cache = d.prefill(batch.create(prefix, new Shape(1, p)), d.numLayers());
      assertThat(cache.length()).isEqualTo(p);
      assertThat(cache.layers()).isEqualTo(d.numLayers());
      NDArray mask = batch.create(suffixMask, new Shape(rows, width));
      NDArray continued = d.forward(d.embed(batch.create(suffix, new Shape(rows, width))), d.context(mask, cache),
          d.numLayers());
      double max = 0;
      for (int r = 0; r < rows; r++) {
        int n = tails[r].length;
        float[] a = whole.get(new NDIndex("{}, {}:{}, :", r, p, p + n)).toFloatArray();
        float[] b = continued.get(new NDIndex("{}, 0:{}, :", r, n)).toFloatArray();
        max = Math.max(max, TestFiles.maxAbsDiff(a, b));
      }
      // the feed-forward one token at a time: the same numbers
      NDArray chunked = d.forward(d.embed(batch.create(suffix, new Shape(rows, width))),
          d.context(mask, cache).withCpuBudget(1), d.numLayers());
      double chunks = 0;
      for (int r = 0; r < rows; r++) {
        int n = tails[r].length;
        chunks = Math.max(chunks, TestFiles.maxAbsDiff(chunked.get(new NDIndex("{}, 0:{}, :", r, n)).toFloatArray(),
            continued.get(new NDIndex("{}, 0:{}, :", r, n)).toFloatArray()));
      }
      System.out.printf("prefix cache %-18s P=%d, rows of %s tokens: max|Δ hidden| vs whole = %.3g, chunked MLP = %.3g%n",
          arch, p, List.of(5, 3, 1), max, chunks);
      assertThat(max).isLessThanOrEqualTo(TOLERANCE);
      assertThat(chunks).isLessThanOrEqualTo(TOLERANCE);
      assertThat(batch.getManagedArrays()).isNotEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Qwen3ForCausalLM"})
  void should_refuse_a_prefix_that_is_not_one_row(String arch) {
    Path dir = TestFiles.resource("golden/" + arch);
    try (CausalLm lm = CausalLm.load(ModelSource.local(dir), Placement.cpu());
        NDManager batch = Placement.pytorch().newBaseManager()) {
      DecoderModel d = lm.decoder();
      assertThatThrownBy(() -> d.prefill(batch.create(new long[] {5, 6, 7, 8}, new Shape(2, 2)), 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row [1, P]");
      assertThatThrownBy(() -> d.prefill(batch.create(new long[] {5, 6}, new Shape(1, 2)), d.numLayers() + 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1..");
    }
  }
}
