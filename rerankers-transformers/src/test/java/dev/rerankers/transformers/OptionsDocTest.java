package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Catalog;
import dev.rerankers.testing.OptionsTable;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The options tables of docs/transformers.md and docs/t5.md are exactly what the provider declares
 * (keys, allowed values, defaults, descriptions); on a difference the failure prints the table to
 * paste.
 */
class OptionsDocTest {

  @ParameterizedTest
  @CsvSource({"transformers.md, cross-encoder", "t5.md, t5", "t5.md, upr"})
  void the_docs_table_matches_the_declarations(String page, String type) throws IOException {
    assertThat(Catalog.options(type)).as("declared options of %s", type)
        .containsAll(new TransformersProvider().options(type));
    OptionsTable.assertDocumented(Path.of("../docs", page), type);
  }
}
