package dev.rerankers.colbert.internal;

import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On CPU a document batch is split into forward passes under a memory budget; the token vectors
 * must be those of one pass (rows are independent, only the padding changes).
 */
class CpuPassSplitTest {

  @ParameterizedTest
  @CsvSource({"colbert, colbert", "pylate, pylate-modernbert"})
  void should_give_the_vectors_of_one_pass(String type, String fixture) {
    var folder = TestFiles.resource("e2e/" + fixture);
    List<Map<String, Object>> cases = maps(TestFiles.json(folder.resolve("expected.json")).get("cases"));
    try (LateInteractionScorer s = LoadedScorer.of(type + ":" + folder + "?cacheMb=0")) {
      LateInteractionRecipe recipe = s.recipe();
      LateInteractionModel model = s.model();
      List<TokenRow> rows = new ArrayList<>();
      List<Encoding> tokens = recipe.tokenize(strings(cases.get(0).get("docs")));
      int[] variants = recipe.variants(tokens.stream().mapToInt(Encoding::length).toArray());
      for (int i = 0; i < tokens.size(); i++) {
        rows.add(recipe.document(tokens.get(i), variants[i]));
      }
      List<float[]> whole = model.encode(rows, Long.MAX_VALUE);
      int longest = rows.stream().mapToInt(TokenRow::length).max().orElseThrow();
      for (long budget : new long[] {1, 3 * model.encoderForTests().activationBytesPerRow(longest)}) {
        List<float[]> split = model.encode(rows, budget);
        assertThat(split).hasSameSizeAs(whole);
        double max = 0;
        for (int i = 0; i < whole.size(); i++) {
          assertThat(split.get(i)).hasSameSizeAs(whole.get(i));
          for (int k = 0; k < whole.get(i).length; k++) {
            max = Math.max(max, Math.abs(whole.get(i)[k] - split.get(i)[k]));
          }
        }
        System.out.printf("%s: %d documents, pass budget %d bytes: max |Δvector| split vs one pass = %.2e (tolerance 1e-5)%n",
            fixture, rows.size(), budget, max);
        assertThat(max).isLessThanOrEqualTo(1e-5);
      }
    }
  }
}
