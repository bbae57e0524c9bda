package dev.rerankers.flashrank;

import dev.rerankers.testing.OptionsTable;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/flashrank.md's option tables are the ones the declarations render (fails printing the expected table). */
class OptionsDocTest {
  @ParameterizedTest
  @ValueSource(strings = {"flashrank", "onnx-cross-encoder", "dense"})
  void the_docs_table_matches_the_declarations(String type) throws Exception {
    OptionsTable.assertDocumented(Path.of("../docs/flashrank.md"), type);
  }
}
