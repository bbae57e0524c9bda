package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the t5 and upr rankers behave beyond parity: vocabularies without the relevance tokens fail
 * at load with a message naming the token and the option to set; options are validated; batch
 * splitting, length sorting and concurrent calls do not change scores (within 1e-5: only padding
 * and batch shapes differ).
 */
class T5RankerBehaviourTest {
  static final String T5 = "t5:" + TestFiles.resource("e2e/t5");

  @Test
  void should_fail_clearly_when_the_vocabulary_lacks_the_relevance_tokens(@TempDir Path dir) throws IOException {
    Path model = copyWithRenamedPieces(dir, Map.of("\"▁true\",", "\"▁truth\",", "\"▁false\",", "\"▁falsy\","));
    // 'auto' falls back to ▁false/▁true (model not in the table): neither is in this vocabulary
    assertThatThrownBy(() -> Reranker.load("t5:" + model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'▁false' is not in the vocabulary")
        .hasMessageContaining("set tokenFalse");
    assertThatThrownBy(() -> Reranker.load("t5:" + model + "?tokenFalse=▁no"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'▁true' is not in the vocabulary")
        .hasMessageContaining("set tokenTrue");
    // naming tokens that exist makes the same model usable
    try (Reranker r = Reranker.builder(model.toString()).type("t5").option("tokenFalse", "▁no").option("tokenTrue", "▁yes").build()) {
      assertThat(r.score("q", "d")).isBetween(0.0, 1.0);
    }
  }

  @Test
  void should_explain_that_pickle_checkpoints_need_converting(@TempDir Path dir) throws IOException {
    Path src = TestFiles.resource("e2e/t5");
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {0x50, 0x4b, 3, 4});
    assertThatThrownBy(() -> Reranker.load("t5:" + dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("pytorch_model*.bin")
        .hasMessageContaining("safetensors");
  }

  @Test
  void should_accept_token_ids_and_reject_unknown_or_identical_tokens() {
    try (Reranker byPiece = Reranker.load(T5);
        Reranker byId = Reranker.load(T5 + "?tokenFalse=3000&tokenTrue=2999")) {
      assertThat(byId.info().details()).containsEntry("tokenTrue", "2999 (2999)");
      assertThat(byId.score("vitamin", "B12 deficiency")).isEqualTo(byPiece.score("vitamin", "B12 deficiency"));
    }
    assertThatThrownBy(() -> Reranker.load(T5 + "?tokenTrue=▁definitely"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'▁definitely' is not in the vocabulary");
    assertThatThrownBy(() -> Reranker.load(T5 + "?tokenTrue=99999"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("outside the vocabulary");
    assertThatThrownBy(() -> Reranker.load(T5 + "?tokenFalse=▁yes&tokenTrue=▁yes"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("same token");
  }

  @Test
  void should_validate_templates_and_options_before_loading() {
    assertThatThrownBy(() -> Reranker.builder(TestFiles.resource("e2e/t5").toString()).type("t5")
        .option("inputsTemplate", "Query: {query} Relevant:").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("must contain {text}");
    assertThatThrownBy(() -> Reranker.builder(TestFiles.resource("e2e/t5").toString()).type("t5")
        .option("inputsTemplate", "Query: {q} Document: {text}").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("{q}");
    assertThatThrownBy(() -> Reranker.builder(TestFiles.resource("e2e/t5").toString()).type("t5")
        .option("inputsTemplate", "{query} } {text}").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("single '}'");
    assertThatThrownBy(() -> Reranker.load(T5 + "?returnLogits=maybe")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Reranker.load(T5 + "?sigmoid=true")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Reranker.load("upr:" + TestFiles.resource("e2e/t5") + "?logLikelihood=median"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sum");
    assertThatThrownBy(() -> Reranker.load("upr:" + TestFiles.resource("e2e/t5") + "?maxQueryLength=1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxQueryLength");
  }

  @Test
  void should_insert_braces_in_queries_verbatim_and_honour_literal_braces_in_templates() {
    try (Reranker plain = Reranker.builder(TestFiles.resource("e2e/t5").toString()).type("t5")
            .option("inputsTemplate", "Query: {query} Document: {text} Relevant:").build();
        Reranker braces = Reranker.builder(TestFiles.resource("e2e/t5").toString()).type("t5")
            .option("inputsTemplate", "Query: {query} Document: {text} {{Relevant}}:").build()) {
      // a query holding template syntax is text, not a field
      assertThat(plain.score("what is {text}?", "doc")).isBetween(0.0, 1.0);
      assertThat(braces.score("q", "d")).isNotEqualTo(plain.score("q", "d"));
    }
  }

  @Test
  void should_give_the_same_scores_whatever_the_batch_size_and_document_order() {
    List<String> docs = documents();
    double[] reference = scores(T5 + "?batchSize=1&maxLength=64", docs);
    for (String options : new String[] {"?batchSize=3&maxLength=64", "?batchSize=32&maxLength=64"}) {
      assertThat(scores(T5 + options, docs)).as(options).containsExactly(reference, org.assertj.core.data.Offset.offset(1e-5));
    }
    // shuffled input: each document keeps its score
    List<Integer> perm = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      perm.add(i);
    }
    Collections.shuffle(perm, new Random(7));
    List<String> shuffled = perm.stream().map(docs::get).toList();
    double[] s = scores(T5 + "?batchSize=4&maxLength=64", shuffled);
    for (int i = 0; i < perm.size(); i++) {
      assertThat(s[i]).isCloseTo(reference[perm.get(i)], org.assertj.core.data.Offset.offset(1e-5));
    }
    String upr = "upr:" + TestFiles.resource("e2e/t5") + "?maxLength=64";
    double[] u1 = scores(upr + "&batchSize=1", docs);
    assertThat(scores(upr + "&batchSize=5", docs)).containsExactly(u1, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void should_give_the_same_scores_from_4_threads_as_sequentially() throws Exception {
    List<String> docs = documents();
    try (Reranker ranker = Reranker.load(T5 + "?batchSize=4&maxLength=48")) {
      double[] sequential = byId(ranker.rank("vitamin B12 and homocysteine", docs), docs.size());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<double[]>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> byId(ranker.rank("vitamin B12 and homocysteine", docs), docs.size())));
        }
        for (Future<double[]> f : futures) {
          assertThat(f.get()).containsExactly(sequential);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  static double[] scores(String spec, List<String> docs) {
    try (Reranker r = Reranker.load(spec)) {
      return byId(r.rank("vitamin B12 and homocysteine", docs), docs.size());
    }
  }

  static double[] byId(RankedResults r, int n) {
    double[] out = new double[n];
    for (Result res : r) {
      out[((Number) res.id()).intValue()] = res.score();
    }
    return out;
  }

  /** SciFact documents of mixed lengths (some truncated at 64 tokens, some a few words). */
  @SuppressWarnings("unchecked")
  static List<String> documents() {
    Map<String, Object> e = TestFiles.json(TestFiles.resource("e2e/t5/expected.json"));
    List<String> docs = new ArrayList<>();
    for (Map<String, Object> c : (List<Map<String, Object>>) e.get("cases")) {
      docs.addAll((List<String>) c.get("docs"));
    }
    return docs.subList(0, 11);
  }

  /** e2e/t5 copied with some vocabulary pieces renamed (ids unchanged). */
  static Path copyWithRenamedPieces(Path dir, Map<String, String> renames) throws IOException {
    Path src = TestFiles.resource("e2e/t5");
    Path dst = dir.resolve("t5-renamed");
    Files.createDirectories(dst);
    for (String f : List.of("config.json", "model.safetensors", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    String json = Files.readString(src.resolve("tokenizer.json"), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : renames.entrySet()) {
      assertThat(json).contains(e.getKey());
      json = json.replace(e.getKey(), e.getValue());
    }
    Files.writeString(dst.resolve("tokenizer.json"), json, StandardCharsets.UTF_8);
    return dst;
  }
}
