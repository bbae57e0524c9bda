package dev.rerankers.colbert.internal;

import static dev.rerankers.testing.TestFiles.doubles;
import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PyLate's rerank pads shorter documents with zero vectors and does not mask them: the ModernBERT
 * fixture holds documents whose scores depend on it, so scoring them with ColBERT's masked MaxSim misses
 * PyLate's numbers while the zero-padded rule meets them.
 */
class PylatePaddingTest {

  @Test
  void should_need_the_zero_padding_rule_to_match_pylate() {
    String name = "pylate-modernbert"; // in pylate-stanford every best similarity is positive: the rule is moot
    var folder = TestFiles.resource("e2e/" + name);
    List<Map<String, Object>> cases = maps(TestFiles.json(folder.resolve("expected.json")).get("cases"));
    double withRule = 0;
    double without = 0;
    try (LateInteractionScorer s = LoadedScorer.of("pylate:" + folder + "?cacheMb=0")) {
      LateInteractionRecipe recipe = s.recipe();
      LateInteractionModel model = s.model();
      for (Map<String, Object> c : cases) {
        TokenRow q = recipe.query((String) c.get("query"));
        float[] qv = model.encode(List.of(q)).get(0);
        List<TokenRow> rows = new ArrayList<>();
        for (Encoding e : recipe.tokenize(strings(c.get("docs")))) {
          rows.add(recipe.document(e, 0));
        }
        List<float[]> docs = model.encode(rows);
        int[] counts = docs.stream().mapToInt(v -> v.length / model.dim()).toArray();
        float[][] maxima;
        try (NDManager m = model.manager().newSubManager()) {
          maxima = MaxSim.tokenMaxima(m, qv, model.dim(), docs);
        }
        double[] expected = doubles(c.get("scores_in_input_order"));
        withRule = Math.max(withRule, TestFiles.maxAbsDiff(MaxSim.scores(maxima, counts, recipe.divisor(q), true), expected));
        without = Math.max(without, TestFiles.maxAbsDiff(MaxSim.scores(maxima, counts, recipe.divisor(q), false), expected));
      }
    }
    System.out.printf("%s: zero-padded MaxSim max|Δ| = %.3g, masked MaxSim %.3g%n", name, withRule, without);
    assertThat(withRule).isLessThanOrEqualTo(1e-4);
    assertThat(without).isGreaterThan(1e-3);
  }
}
