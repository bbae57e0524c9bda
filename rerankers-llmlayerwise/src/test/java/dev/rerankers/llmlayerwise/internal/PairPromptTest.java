package dev.rerankers.llmlayerwise.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prompt construction of each ranker against token sequences whose decoded text was checked by
 * hand (the texts below; the ids next to them were written by the Python reference in
 * src/test/resources/llm/make_fixtures.py, and mxbai's by Python rerankers itself, see
 * MxbaiV2E2eTest).
 */
class PairPromptTest {
  static final String BGE = "Given a query A and a passage B, determine whether the passage contains an answer to the "
      + "query by providing a prediction of either 'Yes' or 'No'.";

  static HfTokenizer tokenizer(String folder) {
    return HfTokenizer.builder(ModelSource.local(TestFiles.resource(folder))).maxLength(Integer.MAX_VALUE).build();
  }

  static List<Map<String, Object>> prompts(String folder) {
    Path dir = TestFiles.resource(folder);
    return TestFiles.maps(TestFiles.json(dir.resolve("expected.json")).get("prompts"));
  }

  @Test
  void should_build_bge_prompts_with_bos_query_passage_and_instruction() {
    List<String> handChecked = List.of(
        "<bos>A: What is BRCA1?\nB: BRCA1 is a human tumor suppressor gene.\n" + BGE,
        "<bos>A: Does smoking cause cancer?\nB: Tobacco smoke contains carcinogens that damage DNA.\n" + BGE,
        // maxLength 16: [bos] + 9 query tokens, then "\nB: A long p" fills the pair to 16, then "\n" + prompt
        "<bos>A: TNF-α and sepsis\nB: A long p\n" + BGE);
    List<Map<String, Object>> recorded = prompts("llm/bge-reranker-v2-gemma");
    try (HfTokenizer t = tokenizer("llm/bge-reranker-v2-gemma")) {
      PromptTokenizer enc = new PromptTokenizer(t);
      long bos = t.tokenId("<bos>").orElseThrow();
      long[] sep = enc.ids("\n");
      long[] prompt = enc.ids(BGE);
      for (int i = 0; i < recorded.size(); i++) {
        Map<String, Object> r = recorded.get(i);
        assertThat(r.get("text")).isEqualTo(handChecked.get(i));
        int maxLength = r.get("max_length") == null ? 512 : ((Number) r.get("max_length")).intValue();
        PromptTokens p = new BgePrompt(enc, BGE, maxLength).build((String) r.get("query"), (String) r.get("document"));
        assertThat(p.ids()).containsExactly(TestFiles.longs(r.get("input_ids")));
        assertThat(p.queryLength()).isEqualTo(((Number) r.get("query_length")).intValue());
        assertThat(p.promptLength()).isEqualTo(((Number) r.get("prompt_length")).intValue());
        long[] ids = p.ids();
        assertThat(ids[0]).isEqualTo(bos);
        assertThat(Arrays.copyOfRange(ids, ids.length - prompt.length, ids.length)).containsExactly(prompt);
        assertThat(Arrays.copyOfRange(ids, p.queryLength() - sep.length, p.queryLength())).containsExactly(sep);
        if (r.get("max_length") != null) {
          assertThat(p.truncated()).isTrue();
          assertThat(ids.length - sep.length - prompt.length).isEqualTo(maxLength);
        }
      }
    }
  }

  @Test
  void should_build_the_qwen3_reranker_chat_prompt() {
    String handChecked = "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and "
        + "the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n"
        + "<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n"
        + "<Query>: What is BRCA1?\n<Document>: BRCA1 is a human tumor suppressor gene.<|im_end|>\n"
        + "<|im_start|>assistant\n<think>\n\n</think>\n\n";
    Map<String, Object> r = prompts("llm/qwen3-reranker").get(0);
    assertThat(r.get("text")).isEqualTo(handChecked);
    try (HfTokenizer t = tokenizer("llm/qwen3-reranker")) {
      Qwen3Prompt recipe = new Qwen3Prompt(new PromptTokenizer(t), null, 8192);
      PromptTokens p = recipe.build((String) r.get("query"), (String) r.get("document"));
      assertThat(p.ids()).containsExactly(TestFiles.longs(r.get("input_ids")));
      assertThat(p.truncated()).isFalse();
      long[] ids = p.ids();
      assertThat(ids[0]).isEqualTo(t.tokenId("<|im_start|>").orElseThrow());
      assertThat(Arrays.copyOfRange(ids, ids.length - 13, ids.length)).containsExactly(new PromptTokenizer(t).ids(Qwen3Prompt.SUFFIX));
      // a long document is cut from the end of the body, the template kept whole
      PromptTokens cut = new Qwen3Prompt(new PromptTokenizer(t), "x", 100).build("q", "word ".repeat(500));
      assertThat(cut.length()).isEqualTo(100);
      assertThat(cut.truncated()).isTrue();
      long[] c = cut.ids();
      assertThat(Arrays.copyOfRange(c, c.length - 13, c.length)).containsExactly(new PromptTokenizer(t).ids(Qwen3Prompt.SUFFIX));
    }
  }

  @Test
  void should_build_the_mxbai_chat_prompt_with_an_instruction() {
    try (HfTokenizer t = tokenizer("e2e/mxbaiv2")) {
      PromptTokenizer enc = new PromptTokenizer(t);
      MxbaiPrompt recipe = new MxbaiPrompt(enc, "Find evidence", 8192, 1024);
      PromptTokens p = recipe.build("vitamin B12", "Homocysteine rises.");
      // prefix | "instruction: ...\nquery: ..." | "\n" | "document: ..." | "\n" | task | suffix, each tokenized alone
      long[] expected = PairPrompt.concat(enc.ids(MxbaiPrompt.PREFIX), enc.ids("instruction: Find evidence\nquery: vitamin B12"),
          enc.ids("\n"), enc.ids("document: Homocysteine rises."), enc.ids("\n"), enc.ids(MxbaiPrompt.TASK),
          enc.ids(MxbaiPrompt.SUFFIX));
      assertThat(p.ids()).containsExactly(expected);
      assertThat(recipe.leftPadding()).isTrue();
      // the quirk: the document keeps at most maxLength / 4 tokens even with room to spare
      PromptTokens longDoc = new MxbaiPrompt(enc, null, 400, 1024).build("q", "word ".repeat(1000));
      long[] docPart = enc.ids("document: " + "word ".repeat(1000));
      int fixed = enc.ids(MxbaiPrompt.PREFIX).length + enc.ids("query: q").length + 2 * enc.ids("\n").length
          + enc.ids(MxbaiPrompt.TASK).length + enc.ids(MxbaiPrompt.SUFFIX).length;
      assertThat(longDoc.length() - fixed).isEqualTo(100).isLessThan(docPart.length);
      assertThat(longDoc.truncated()).isTrue();
    }
  }
}
