package dev.rerankers.llmlayerwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.llmlayerwise.internal.MxbaiPrompt;
import dev.rerankers.llmlayerwise.internal.PromptTokenizer;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity with Python rerankers' {@code MxBaiV2Ranker} on the golden-e2e mxbaiv2
 * checkpoint (a tiny Qwen2 with a real byte-level BPE; copied from ../shared/golden-e2e to
 * src/test/resources/e2e/mxbaiv2): 31 (query, document) scores through {@code Reranker.load},
 * tolerance 1e-4 absolute, identical rankings, and the exact prompt token ids.
 */
class MxbaiV2E2eTest {
  static final double TOLERANCE = 1e-4;
  static final Path DIR = TestFiles.resource("e2e/mxbaiv2");
  static final Map<String, Object> EXPECTED = TestFiles.json(DIR.resolve("expected.json"));

  @Test
  void should_match_python_scores_and_rankings() {
    double max = 0;
    int pairs = 0;
    try (Reranker ranker = Reranker.load("mxbaiv2:" + DIR)) {
      for (Map<String, Object> c : TestFiles.maps(EXPECTED.get("cases"))) {
        List<String> docs = TestFiles.strings(c.get("docs"));
        List<String> ids = TestFiles.strings(c.get("doc_ids"));
        RankedResults r = ranker.rank((String) c.get("query"), docs, ids, null);
        double[] actual = new double[docs.size()];
        List<Object> ranking = new ArrayList<>();
        for (Result res : r) {
          actual[ids.indexOf((String) res.id())] = res.score();
          ranking.add(res.id());
        }
        max = Math.max(max, TestFiles.maxAbsDiff(actual, TestFiles.doubles(c.get("scores_in_input_order"))));
        pairs += docs.size();
        assertThat(ranking).as("ranking of query %s", c.get("query_id")).isEqualTo(c.get("ranking"));
      }
      System.out.printf("e2e mxbaiv2 max|Δscore| = %.3g over %d pairs (tolerance %.0e)%n", max, pairs, TOLERANCE);
      assertThat(max).isLessThanOrEqualTo(TOLERANCE);
      assertThat(ranker.info().type()).isEqualTo("mxbaiv2");
      assertThat(ranker.info().details()).containsEntry("score", "logit(\"1\") - logit(\"0\")");
    }
  }

  @Test
  void should_build_python_prompt_token_ids() {
    Map<String, Object> tok = TestFiles.map(EXPECTED.get("tokenization"));
    Map<String, Object> first = TestFiles.maps(EXPECTED.get("cases")).get(0);
    List<String> docs = TestFiles.strings(first.get("docs"));
    try (HfTokenizer t = HfTokenizer.builder(dev.rerankers.hub.ModelSource.local(DIR)).maxLength(Integer.MAX_VALUE).build()) {
      MxbaiPrompt recipe = new MxbaiPrompt(new PromptTokenizer(t), null, 8192, 1024);
      assertThat(recipe.staticLength()).isEqualTo(((Number) tok.get("static_tokens_length")).intValue());
      assertThat(recipe.effectiveMaxLength()).isEqualTo(((Number) tok.get("effective_max_length")).intValue());
      List<Map<String, Object>> pairs = TestFiles.maps(tok.get("pairs"));
      for (int i = 0; i < pairs.size(); i++) {
        long[] expected = TestFiles.longs(pairs.get(i).get("input_ids"));
        assertThat(recipe.build((String) first.get("query"), docs.get(i)).ids()).as("prompt of doc %d", i).containsExactly(expected);
      }
      assertThat(t.encodeRaw("1").ids()).containsExactly(((Number) tok.get("pos_token_id")).longValue());
      assertThat(t.encodeRaw("0").ids()).containsExactly(((Number) tok.get("neg_token_id")).longValue());
    }
  }

  @Test
  void should_score_a_single_document_as_python() {
    Map<String, Object> single = TestFiles.map(TestFiles.map(EXPECTED.get("single_doc")).get("score_method"));
    Map<String, Object> first = TestFiles.maps(EXPECTED.get("cases")).get(0);
    try (Reranker ranker = Reranker.load("mxbaiv2:" + DIR)) {
      double s = ranker.score((String) first.get("query"), TestFiles.strings(first.get("docs")).get(0));
      assertThat(s).isCloseTo(((Number) single.get("value")).doubleValue(), offset(TOLERANCE));
      assertThat(ranker.rank("anything", List.of()).size()).isZero();
    }
  }
}
