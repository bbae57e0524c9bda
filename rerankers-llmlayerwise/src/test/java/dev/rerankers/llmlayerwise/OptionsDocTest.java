package dev.rerankers.llmlayerwise;

import dev.rerankers.testing.OptionsTable;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/llmlayerwise.md's option tables are exactly what the declarations render. */
class OptionsDocTest {

  @ParameterizedTest
  @ValueSource(strings = {"llm-layerwise", "mxbaiv2", "qwen3-reranker"})
  void should_document_every_option_as_declared(String type) throws IOException {
    OptionsTable.assertDocumented(Path.of("../docs/llmlayerwise.md"), type);
  }
}
