package dev.rerankers.llmlayerwise.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Document;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.CausalLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LlmScorer}'s batch plan on the golden Qwen3-Reranker fixture: the shared prefix it finds
 * (the system prompt, the instruction and the query: the cache really engages on these prompts),
 * and scores that do not change when the prefix is cached, when the batch runs one row per pass
 * and the feed-forward one token per chunk (a budget of 1 byte), or both. Tolerance 1e-5 between
 * plans, 1e-4 against the reference.
 */
class LlmScorerPassesTest {

  @Test
  void should_find_the_shared_prefix_and_score_alike_under_every_plan() {
    var folder = TestFiles.resource("llm/qwen3-reranker");
    Map<String, Object> expected = TestFiles.json(folder.resolve("expected.json"));
    Map<String, Object> variant = TestFiles.maps(expected.get("variants")).get(1);
    Map<String, Object> c = TestFiles.maps(variant.get("cases")).get(0);
    String query = (String) c.get("query");
    List<String> texts = TestFiles.strings(c.get("docs"));
    List<Document> docs = new ArrayList<>();
    for (String t : texts) {
      docs.add(Document.of(docs.size(), t, null));
    }
    String instruction = "Find the abstract that supports or refutes the claim";
    ModelSource source = ModelSource.local(folder);
    double[][] plans = new double[4][];
    int prefix;
    try (HfTokenizer probe = HfTokenizer.builder(source).maxLength(Integer.MAX_VALUE).build()) {
      Qwen3Prompt p = new Qwen3Prompt(new PromptTokenizer(probe), instruction, 256);
      List<PromptTokens> prompts = new ArrayList<>();
      for (String t : texts) {
        prompts.add(p.build(query, t));
      }
      prefix = LlmScorer.sharedPrefix(prompts, Integer.MAX_VALUE);
      long[] first = prompts.get(0).ids();
      int shortest = Integer.MAX_VALUE;
      for (PromptTokens pt : prompts) {
        shortest = Math.min(shortest, pt.length());
      }
      System.out.printf("qwen3-reranker: %d prompts of %d..%d tokens share a prefix of %d tokens%n", prompts.size(),
          shortest, first.length, prefix);
      // the template's prefix, the instruction and the query, at least
      assertThat(prefix).isGreaterThan(new PromptTokenizer(probe).ids(Qwen3Prompt.PREFIX).length + 10);
      assertThat(LlmScorer.sharedPrefix(prompts.subList(0, 1), Integer.MAX_VALUE)).isEqualTo(first.length - 1);
      assertThat(LlmScorer.sharedPrefix(prompts, 3)).isZero();
    }
    boolean[][] settings = {{false, false}, {true, false}, {false, true}, {true, true}};
    for (int i = 0; i < settings.length; i++) {
      HfTokenizer t = HfTokenizer.builder(source).maxLength(Integer.MAX_VALUE).build();
      Qwen3Prompt p = new Qwen3Prompt(new PromptTokenizer(t), instruction, 256);
      TokenScoreModel model = new TokenScoreModel(CausalLm.load(source, Placement.cpu()), "Qwen3",
          TokenScoreModel.Rule.PROBABILITY, "p", t.tokenId("yes").orElseThrow(), t.tokenId("no").orElseThrow());
      try (LlmScorer s = new LlmScorer("qwen3-reranker", "fixture", t, p, model, 16, settings[i][0],
          settings[i][1] ? 1 : 0)) {
        plans[i] = s.score(query, docs).values();
      }
    }
    double[] reference = TestFiles.doubles(c.get("scores_in_input_order"));
    double worst = 0;
    for (int i = 1; i < plans.length; i++) {
      worst = Math.max(worst, TestFiles.maxAbsDiff(plans[i], plans[0]));
    }
    System.out.printf("qwen3-reranker plans (cache, one row per pass + one-token MLP chunks, both): max|Δ| vs plain = %.3g, "
        + "plain vs reference = %.3g%n", worst, TestFiles.maxAbsDiff(plans[0], reference));
    assertThat(worst).isLessThanOrEqualTo(1e-5);
    assertThat(TestFiles.maxAbsDiff(plans[3], reference)).isLessThanOrEqualTo(1e-4);
  }
}
