package dev.rerankers.colbert.internal;

import static dev.rerankers.testing.TestFiles.longs;
import static dev.rerankers.testing.TestFiles.map;
import static dev.rerankers.testing.TestFiles.maps;
import static dev.rerankers.testing.TestFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model inputs the recipes build equal those recorded from the Python libraries, id for id. */
class TokenizationParityTest {

  static LateInteractionScorer load(String spec) {
    return LoadedScorer.of(spec);
  }

  /** Python's document inputs for one candidate set, through tokenize → variants → document. */
  static List<TokenRow> documents(LateInteractionRecipe recipe, List<String> docs) {
    List<Encoding> enc = recipe.tokenize(docs);
    int[] lengths = enc.stream().mapToInt(Encoding::length).toArray();
    int[] variants = recipe.variants(lengths);
    List<TokenRow> rows = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      rows.add(recipe.document(enc.get(i), variants[i]));
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"colbert", "colbert-small"})
  void should_build_the_colbert_inputs_python_built(String name) {
    Path folder = TestFiles.resource("e2e/" + name);
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    Map<String, Object> tok = map(expected.get("tokenization"));
    Map<String, Object> first = maps(expected.get("cases")).get(0);
    try (LateInteractionScorer scorer = load("colbert:" + folder)) {
      LateInteractionRecipe recipe = scorer.recipe();
      TokenRow q = recipe.query((String) first.get("query"));
      assertThat(q.ids()).containsExactly(longs(tok.get("query_input_ids")));
      assertThat(q.attention()).containsExactly(longs(tok.get("query_attention_mask")));
      List<TokenRow> rows = documents(recipe, strings(first.get("docs")));
      List<Map<String, Object>> docs = maps(tok.get("docs"));
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i).ids()).as("document %d", i).containsExactly(longs(docs.get(i).get("input_ids")));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pylate-modernbert", "pylate-stanford"})
  void should_build_the_pylate_inputs_pylate_built(String name) {
    Path folder = TestFiles.resource("e2e/" + name);
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    Map<String, Object> tok = map(expected.get("tokenization"));
    Map<String, Object> settings = map(expected.get("settings"));
    List<Map<String, Object>> cases = maps(expected.get("cases"));
    try (LateInteractionScorer scorer = load("pylate:" + folder)) {
      PylateRecipe recipe = (PylateRecipe) scorer.recipe();
      PylateRecipe.Config s = recipe.config();
      assertThat(s.queryPrefixId()).isEqualTo(((Number) settings.get("query_prefix_id")).longValue());
      assertThat(s.documentPrefixId()).isEqualTo(((Number) settings.get("document_prefix_id")).longValue());
      assertThat(s.expansionId()).isEqualTo(((Number) settings.get("pad_token_id_used_for_expansion")).longValue());
      assertThat(s.skiplist()).containsExactlyInAnyOrderElementsOf(
          ((List<?>) settings.get("skiplist_ids")).stream().map(o -> ((Number) o).longValue()).distinct().toList());
      TokenRow q = recipe.query((String) cases.get(0).get("query"));
      assertThat(q.ids()).containsExactly(longs(tok.get("query_input_ids")));
      assertThat(q.attention()).containsExactly(longs(tok.get("query_attention_mask")));
      List<Map<String, Object>> docs = maps(tok.get("docs"));
      List<TokenRow> rows = documents(recipe, strings(cases.get(0).get("docs")));
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i).ids()).as("document %d", i).containsExactly(longs(docs.get(i).get("input_ids")));
      }
      for (Map<String, Object> c : cases) {
        assertThat(recipe.divisor(recipe.query((String) c.get("query"))))
            .isEqualTo(((Number) c.get("num_query_vectors")).doubleValue());
        List<TokenRow> r = documents(recipe, strings(c.get("docs")));
        assertThat(r.stream().mapToLong(TokenRow::keptCount).toArray()).as("vectors kept, query %s", c.get("query_id"))
            .containsExactly(longs(c.get("document_vector_counts")));
      }
    }
  }

  @Test
  void should_build_the_edge_case_inputs_python_built() {
    Map<String, Object> edge = TestFiles.json(TestFiles.resource("edge/colbert-edge.json"));
    try (LateInteractionScorer scorer = load("colbert:" + TestFiles.resource("e2e/colbert"))) {
      LateInteractionRecipe recipe = scorer.recipe();
      for (Map<String, Object> set : maps(edge.get("sets"))) {
        TokenRow q = recipe.query((String) set.get("query"));
        assertThat(q.ids()).as("%s query", set.get("name")).containsExactly(longs(set.get("query_input_ids")));
        assertThat(q.attention()).as("%s mask", set.get("name")).containsExactly(longs(set.get("query_attention_mask")));
        List<TokenRow> rows = documents(recipe, strings(set.get("docs")));
        assertThat(rows.stream().mapToLong(TokenRow::length).toArray()).as("%s document lengths", set.get("name"))
            .containsExactly(longs(set.get("doc_real_lengths")));
      }
    }
  }
}
