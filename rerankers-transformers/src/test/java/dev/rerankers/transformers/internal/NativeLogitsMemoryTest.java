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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every batch's native arrays are freed when the batch ends; close() frees the weights. */
class NativeLogitsMemoryTest {

  @ParameterizedTest
  @ValueSource(strings = {"BertForSequenceClassification", "DebertaV2ForSequenceClassification",
      "ModernBertForSequenceClassification"})
  void should_leave_no_array_behind_after_a_batch(String arch) {
    SequenceClassifier model = Architectures.loadClassifier(
        ModelSource.local(TestFiles.resource("golden/" + arch)), Placement.cpu());
    List<NDArray> weights = model.weights().manager().getManagedArrays();
    int before = weights.size();
    PaddedBatch batch = PaddedBatch.of(List.of(
        Encoding.of(new long[] {101, 200, 300, 102}), Encoding.of(new long[] {101, 400, 102})), 0, false, false, 1);
    try (NativeLogits logits = new NativeLogits(model)) {
      for (int i = 0; i < 3; i++) {
        assertThat(logits.logits(batch)).hasSize(2);
      }
      assertThat(model.weights().manager().getManagedArrays())
          .as("arrays in the model's manager after 3 batches").hasSize(before);
    }
    assertThat(weights).allMatch(NDArray::isReleased);
  }
}
