package dev.rerankers.colbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Type resolution, options and the errors a wrong checkpoint or option gets. */
class LoadingTest {

  @Test
  void should_resolve_the_families_to_this_backend() {
    assertThat(Reranker.resolve("colbert").backend()).contains("colbert");
    assertThat(Reranker.resolve("colbert").model()).isEqualTo("colbert-ir/colbertv2.0");
    assertThat(Reranker.resolve("pylate").type()).isEqualTo("pylate");
    assertThat(Reranker.resolve("pylate").model()).isEqualTo("lightonai/GTE-ModernColBERT-v1");
    assertThat(Reranker.resolve("colbert:x?cacheMb=8&projection=linear.weight&queryToken=[unused2]").options())
        .containsEntry("cacheMb", "8");
    assertThat(Reranker.resolve("pylate:x?queryLength=48&cacheMb=0").options()).containsEntry("queryLength", "48");
    assertThatThrownBy(() -> Reranker.load("pylate:" + TestFiles.resource("e2e/pylate-modernbert") + "?projection=x"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("projection");
  }

  @Test
  void should_name_the_problem_and_the_fix() {
    String colbert = "colbert:" + TestFiles.resource("e2e/colbert");
    assertThatThrownBy(() -> Reranker.load(colbert + "?cacheMb=-1")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cacheMb");
    assertThatThrownBy(() -> Reranker.load(colbert + "?maxLength=2")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxLength");
    assertThatThrownBy(() -> Reranker.load(colbert + "?projection=head.weight")).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("head.weight");
    // an encoder-only folder (the PyLate ModernBERT's Transformer part) has no projection
    assertThatThrownBy(() -> Reranker.load("colbert:" + TestFiles.resource("e2e/pylate-modernbert")))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("type pylate");
    // PyLate would bolt an untrained projection onto a checkpoint without modules.json or HF_ColBERT
    assertThatThrownBy(() -> Reranker.load("pylate:" + TestFiles.resource("e2e/colbert")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("untrained projection");
  }

  @Test
  void should_refuse_a_pylate_model_whose_prefix_token_was_never_added(@TempDir Path tmp) throws Exception {
    Path copy = TestFiles.copy("e2e/pylate-modernbert", tmp.resolve("m"));
    Path cfg = copy.resolve("config_sentence_transformers.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"[Q] \"", "\"[QUERY] \""));
    assertThatThrownBy(() -> Reranker.load("pylate:" + copy)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("[QUERY] ");
  }

  @Test
  void should_use_a_pylate_models_configured_lengths_unless_overridden() {
    try (Reranker r = Reranker.load("pylate:" + TestFiles.resource("e2e/pylate-modernbert") + "?queryLength=16&maxLength=40")) {
      assertThat(r.info().details()).containsEntry("queryLength", "16").containsEntry("documentLength", "40")
          .containsEntry("dim", "48");
      assertThat(r.info().type()).isEqualTo("pylate");
      assertThat(r.rank("vitamin B12", java.util.List.of("folate", "homocysteine levels")).size()).isEqualTo(2);
    }
  }
}
