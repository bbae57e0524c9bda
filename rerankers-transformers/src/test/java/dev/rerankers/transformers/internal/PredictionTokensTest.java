package dev.rerankers.transformers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relevance-token table (Python rerankers' PREDICTION_TOKENS) and its resolution against the
 * e2e/t5 vocabulary (3002 pieces; ▁false 3000, ▁true 2999, ▁yes 3001, ▁no 318; no ▁não/▁sim).
 */
class PredictionTokensTest {
  static HfTokenizer tokenizer;

  @BeforeAll
  static void open() {
    tokenizer = HfTokenizer.load(ModelSource.local(TestFiles.resource("e2e/t5")));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void should_hold_pythons_table() {
    assertThat(PredictionTokens.known()).hasSize(30);
    assertThat(PredictionTokens.known().get("unicamp-dl/InRanker-base").yes().piece()).isEqualTo("▁true");
    assertThat(PredictionTokens.known().get("unicamp-dl/mt5-base-mmarco-v2").no().piece()).isEqualTo("▁no");
    assertThat(PredictionTokens.known().get("unicamp-dl/ptt5-base-pt-msmarco-100k-v2").yes().piece()).isEqualTo("▁sim");
    assertThat(PredictionTokens.known().get("unicamp-dl/monoptt5-base").no().piece()).isEqualTo("▁Não");
    assertThat(PredictionTokens.known().get("unicamp-dl/mt5-3B-mmarco-en-pt").no().piece()).isEqualTo("▁");
    assertThat(PredictionTokens.known().get("Dundalia/TWOLAR-xl").no().id()).isEqualTo(6136L);
  }

  @Test
  void should_look_models_up_by_id_then_by_folder_name() {
    assertThat(PredictionTokens.lookup("castorini/monot5-base-msmarco")).isEqualTo("castorini/monot5-base-msmarco");
    assertThat(PredictionTokens.lookup("/models/mt5-base-mmarco-v2/")).isEqualTo("unicamp-dl/mt5-base-mmarco-v2");
    assertThat(PredictionTokens.lookup("C:\\models\\InRanker-small")).isEqualTo("unicamp-dl/InRanker-small");
    assertThat(PredictionTokens.lookup("/models/t5")).isNull();
    assertThat(PredictionTokens.lookup("default")).isEqualTo("default");
  }

  @Test
  void should_resolve_auto_from_the_table_and_options_independently() {
    var inranker = PredictionTokens.resolve("unicamp-dl/InRanker-base", "auto", "auto", tokenizer, 3008);
    assertThat(inranker.falseId()).isEqualTo(3000);
    assertThat(inranker.trueId()).isEqualTo(2999);
    assertThat(inranker.source()).contains("unicamp-dl/InRanker-base");
    var mt5 = PredictionTokens.resolve("/data/mt5-base-mmarco-v2", "auto", "auto", tokenizer, 3008);
    assertThat(mt5.falseToken()).isEqualTo("▁no");
    assertThat(mt5.trueId()).isEqualTo(3001);
    var unknown = PredictionTokens.resolve("/data/my-t5", "auto", "auto", tokenizer, 3008);
    assertThat(unknown.trueToken()).isEqualTo("▁true");
    assertThat(unknown.source()).contains("default");
    var mixed = PredictionTokens.resolve("/data/my-t5", "▁no", "auto", tokenizer, 3008);
    assertThat(mixed.falseId()).isEqualTo(318);
    assertThat(mixed.trueId()).isEqualTo(2999);
    var explicit = PredictionTokens.resolve("unicamp-dl/mt5-base-mmarco-v2", "▁false", "▁true", tokenizer, 3008);
    assertThat(explicit.trueId()).isEqualTo(2999);
    assertThat(explicit.source()).isEqualTo("options tokenFalse/tokenTrue");
  }

  @Test
  void should_fail_on_a_table_entry_the_vocabulary_lacks() {
    // Python would silently score with <unk> here (convert_tokens_to_ids maps unknown pieces to it)
    assertThatThrownBy(() -> PredictionTokens.resolve("unicamp-dl/ptt5-base-pt-msmarco-10k-v2", "auto", "auto", tokenizer, 3008))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'▁não' is not in the vocabulary of unicamp-dl/ptt5-base-pt-msmarco-10k-v2")
        .hasMessageContaining("set tokenFalse");
    assertThatThrownBy(() -> PredictionTokens.resolve("Dundalia/TWOLAR-large", "auto", "auto", tokenizer, 3008))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("#6136 has id 6136, outside the vocabulary");
  }
}
