package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.InferenceException;
import org.junit.jupiter.api.Test;

class TokenIdsTest {

  @Test
  void ids_outside_the_vocabulary_are_refused_before_native_code() {
    TokenIds.requireInVocabulary(new long[] {0, 5, 9}, 10, "m");
    assertThatThrownBy(() -> TokenIds.requireInVocabulary(new long[] {3, 10}, 10, "org/m"))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("token id 10 is outside the vocabulary of org/m (size 10)");
  }
}
