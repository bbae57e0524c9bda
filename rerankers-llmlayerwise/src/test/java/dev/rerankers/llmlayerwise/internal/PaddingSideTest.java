package dev.rerankers.llmlayerwise.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.CausalLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Left and right padding of the same prompts give the same scores (rotary positions are
 * shift-invariant and pad keys are masked), and both match the reference. Tolerance 1e-5 between
 * the two sides, 1e-4 against the reference.
 */
class PaddingSideTest {

  @ParameterizedTest
  @ValueSource(strings = {"e2e/mxbaiv2", "llm/qwen3-reranker", "llm/bge-reranker-v2-gemma"})
  void should_score_left_and_right_padded_batches_alike(String folder) {
    ModelSource source = ModelSource.local(TestFiles.resource(folder));
    Map<String, Object> expected = TestFiles.json(TestFiles.resource(folder).resolve("expected.json"));
    List<Map<String, Object>> cases = expected.containsKey("cases") ? TestFiles.maps(expected.get("cases"))
        : TestFiles.maps(TestFiles.maps(expected.get("variants")).get(1).get("cases"));
    Map<String, Object> c = cases.get(1);
    try (HfTokenizer t = HfTokenizer.builder(source).maxLength(Integer.MAX_VALUE).build();
        CausalLm lm = CausalLm.load(source, Placement.cpu())) {
      PromptTokenizer enc = new PromptTokenizer(t);
      TokenScoreModel model;
      Function<String, PromptTokens> recipe;
      String query = (String) c.get("query");
      if (folder.contains("mxbai")) {
        MxbaiPrompt p = new MxbaiPrompt(enc, null, 8192, 1024);
        recipe = d -> p.build(query, d);
        model = new TokenScoreModel(lm, "Qwen2", TokenScoreModel.Rule.DIFFERENCE, "diff", enc.ids("1")[0], enc.ids("0")[0]);
      } else if (folder.contains("qwen3")) {
        Qwen3Prompt p = new Qwen3Prompt(enc, "Find the abstract that supports or refutes the claim", 256);
        recipe = d -> p.build(query, d);
        model = new TokenScoreModel(lm, "Qwen3", TokenScoreModel.Rule.PROBABILITY, "p", t.tokenId("yes").orElseThrow(),
            t.tokenId("no").orElseThrow());
      } else {
        BgePrompt p = new BgePrompt(enc, BgePrompt.DEFAULT_PROMPT, 512);
        recipe = d -> p.build(query, d);
        model = new TokenScoreModel(lm, "Gemma", TokenScoreModel.Rule.LOGIT, "yes", enc.ids("Yes")[0]);
      }
      List<PromptTokens> prompts = new ArrayList<>();
      List<Encoding> encodings = new ArrayList<>();
      for (String d : TestFiles.strings(c.get("docs"))) {
        PromptTokens p = recipe.apply(d);
        prompts.add(p);
        encodings.add(Encoding.of(p.ids()));
      }
      double[] left;
      double[] right;
      try (NDManager m = lm.weights().manager().newSubManager()) {
        left = model.scores(m, PaddedBatch.of(encodings, t.padId(), false, true, 8), prompts);
        right = model.scores(m, PaddedBatch.of(encodings, t.padId(), false, false, 8), prompts);
      }
      double sides = TestFiles.maxAbsDiff(left, right);
      double reference = TestFiles.maxAbsDiff(left, TestFiles.doubles(c.get("scores_in_input_order")));
      System.out.printf("padding %-28s max|left - right| = %.3g, max|left - reference| = %.3g%n", folder, sides, reference);
      assertThat(sides).isLessThanOrEqualTo(1e-5);
      assertThat(reference).isLessThanOrEqualTo(1e-4);
    }
  }

  @org.junit.jupiter.api.Test
  void should_refuse_left_padding_for_layerwise_scoring() {
    LayerwiseModel model = new LayerwiseModel(null, null, null, 1, 1, 0, 1, List.of(), Map.of());
    PaddedBatch batch = PaddedBatch.of(List.of(Encoding.of(new long[] {1, 2}), Encoding.of(new long[] {1})), 0, false, true, 1);
    assertThatThrownBy(() -> model.scores(null, batch, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("right padding");
  }
}
