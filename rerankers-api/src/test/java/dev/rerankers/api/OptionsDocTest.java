package dev.rerankers.api;

import dev.rerankers.testing.OptionsTable;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/api/README.md carries, for every type of this backend, the options table its declarations
 * render: a changed default, range or doc line fails here with the table to paste.
 */
class OptionsDocTest {
  private static final Path PAGE = Path.of("../docs/api/README.md");

  static Stream<String> types() {
    return new ApiRerankerProvider().modelTypes().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void the_docs_table_matches_the_declarations(String type) throws Exception {
    OptionsTable.assertDocumented(PAGE, type);
  }
}
