package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.Architectures;
import dev.rerankers.transformers.models.SequenceClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Splitting a batch into several forward passes on CPU (the cpuChunkMb option) gives the scores of
 * one pass, with and without token type ids, and leaves no array behind.
 */
class CpuChunkingTest {

  @ParameterizedTest
  @ValueSource(strings = {"BertForSequenceClassification", "DebertaV2ForSequenceClassification",
      "ModernBertForSequenceClassification"})
  void a_split_batch_scores_as_one_pass(String arch) {
    SequenceClassifier model = Architectures.loadClassifier(
        ModelSource.local(TestFiles.resource("golden/" + arch)), Placement.cpu());
    Random rnd = new Random(3);
    List<Encoding> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int len = 3 + rnd.nextInt(9);
      long[] ids = new long[len];
      long[] types = new long[len];
      ids[0] = 1;
      for (int t = 1; t < len; t++) {
        ids[t] = 5 + rnd.nextInt(90);
        types[t] = t > len / 2 ? 1 : 0;
      }
      rows.add(Encoding.of(ids, types));
    }
    PaddedBatch batch = PaddedBatch.of(rows, 0, model.encoder().typeVocabSize() > 0, false, 1);
    List<NDArray> managed = model.weights().manager().getManagedArrays();
    int before = managed.size();
    try (NativeLogits whole = new NativeLogits(model, 0)) {
      float[] expected = whole.logits(batch);
      for (long budget : new long[] {1, model.encoder().activationBytesPerRow(batch.length()) * 3}) {
        float[] split = new NativeLogits(model, budget).logits(batch);
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(expected[i] - split[i]));
        }
        System.out.printf("%s budget %d bytes: max |Δlogit| split vs whole = %.2e (tolerance 1e-5)%n", arch, budget, maxDiff);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
      }
      assertThat(model.weights().manager().getManagedArrays()).hasSize(before);
    }
  }
}
