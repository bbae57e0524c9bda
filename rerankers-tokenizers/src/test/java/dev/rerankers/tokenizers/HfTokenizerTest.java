package dev.rerankers.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token ids against those Hugging Face transformers produced for the golden-e2e tokenizers
 * ({@code tokenizer(query, doc, truncation=True)}), copied to {@code src/test/resources/e2e}.
 */
class HfTokenizerTest {

  static Path caseDir(String name) {
    try {
      return Path.of(HfTokenizerTest.class.getResource("/e2e/" + name + "/tokenizer.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> expected(String name) throws IOException {
    return (Map<String, Object>)
        Json.parse(Files.readString(caseDir(name).resolve("tokenization.json"), StandardCharsets.UTF_8));
  }

  static long[] longs(Object list) {
    List<?> l = (List<?>) list;
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).longValue();
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(strings = {"bert", "electra", "xlm-roberta", "deberta-v2", "modernbert"})
  void should_match_transformers_pair_ids_with_longest_first_truncation(String name) throws IOException {
    Map<String, Object> exp = expected(name);
    String query = (String) exp.get("query");
    List<String> docs = (List<String>) exp.get("docs");
    List<Map<String, Object>> pairs = (List<Map<String, Object>>) exp.get("pairs");
    List<String> inputNames = (List<String>) exp.get("model_input_names");
    try (HfTokenizer tok = HfTokenizer.load(caseDir(name))) {
      assertThat(tok.returnsTokenTypeIds()).isEqualTo(inputNames.contains("token_type_ids"));
      List<Encoding> batch = tok.encodePairs(query, docs);
      int truncated = 0;
      for (int i = 0; i < docs.size(); i++) {
        Encoding one = tok.encodePair(query, docs.get(i));
        assertThat(one.ids()).as("%s doc %d ids", name, i).containsExactly(longs(pairs.get(i).get("input_ids")));
        if (pairs.get(i).containsKey("token_type_ids")) {
          assertThat(one.typeIds()).as("%s doc %d type ids", name, i)
              .containsExactly(longs(pairs.get(i).get("token_type_ids")));
        }
        assertThat(batch.get(i)).isEqualTo(one);
        truncated += one.truncated() ? 1 : 0;
      }
      assertThat(truncated).as("some documents of %s are long enough to be truncated", name).isPositive();
    }
  }

  @Test
  void should_take_the_truncation_length_from_tokenizer_config() {
    try (HfTokenizer bert = HfTokenizer.load(caseDir("bert"));
        HfTokenizer electra = HfTokenizer.load(caseDir("electra"))) {
      assertThat(bert.maxLength()).hasValue(512);
      assertThat(electra.maxLength()).hasValue(128);
    }
  }

  @Test
  void should_truncate_the_longer_text_first_to_an_explicit_max_length() throws IOException {
    String query = (String) expected("bert").get("query");
    String longDoc = "word ".repeat(400);
    try (HfTokenizer tok = HfTokenizer.builder(ModelSource.local(caseDir("bert"))).maxLength(64).build()) {
      Encoding alone = tok.encode(query);
      Encoding pair = tok.encodePair(query, longDoc);
      assertThat(pair.length()).isEqualTo(64);
      assertThat(pair.truncated()).isTrue();
      // the query (shorter) is kept whole: its tokens open the pair unchanged
      long[] a = alone.ids();
      long[] p = pair.ids();
      for (int i = 0; i < a.length; i++) {
        assertThat(p[i]).isEqualTo(a[i]);
      }
      // both texts long: split evenly (longest-first), 64 - 3 special tokens = 61 -> 30 + 31
      Encoding both = tok.encodePair(longDoc, longDoc);
      long[] types = both.typeIds();
      long second = java.util.Arrays.stream(types).filter(t -> t == 1).count();
      assertThat(both.length()).isEqualTo(64);
      assertThat(second).isEqualTo(31 + 1); // 31 tokens of the second text + its [SEP]
    }
  }

  @Test
  void should_pad_right_with_the_pad_token_and_mask_padding() {
    try (HfTokenizer xlmr = HfTokenizer.load(caseDir("xlm-roberta"));
        HfTokenizer bert = HfTokenizer.load(caseDir("bert"))) {
      assertThat(xlmr.padId()).isEqualTo(xlmr.tokenId("<pad>").getAsLong()).isEqualTo(1);
      assertThat(bert.padId()).isEqualTo(bert.tokenId("[PAD]").getAsLong());
      List<Encoding> encs = xlmr.encodePairs("a query", List.of("short", "a much longer document than the other one"));
      PaddedBatch b = xlmr.pad(encs);
      assertThat(b.size()).isEqualTo(2);
      assertThat(b.length()).isEqualTo(encs.get(1).length());
      assertThat(b.hasTokenTypeIds()).isFalse();
      long[] ids = b.inputIds();
      long[] mask = b.attentionMask();
      int len0 = encs.get(0).length();
      for (int t = 0; t < b.length(); t++) {
        assertThat(mask[t]).isEqualTo(t < len0 ? 1 : 0);
        if (t >= len0) {
          assertThat(ids[t]).isEqualTo(1);
        }
      }
      PaddedBatch left = xlmr.pad(encs, true, 8);
      assertThat(left.length() % 8).isZero();
      assertThat(left.attentionMask()[left.length() - 1]).isEqualTo(1);
      assertThat(left.attentionMask()[0]).isZero();
      assertThat(left.tokenCount()).isEqualTo(encs.get(0).length() + encs.get(1).length());
    }
  }

  @Test
  void should_apply_do_lower_case_from_tokenizer_config(@TempDir Path dir) throws IOException {
    Path src = caseDir("bert");
    Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    String cfg = Files.readString(src.resolve("tokenizer_config.json")).replace("\"do_lower_case\": true", "\"do_lower_case\": false");
    assertThat(cfg).contains("\"do_lower_case\": false");
    Files.writeString(dir.resolve("tokenizer_config.json"), cfg);
    try (HfTokenizer lower = HfTokenizer.load(src);
        HfTokenizer cased = HfTokenizer.load(dir)) {
      assertThat(cased.config().doLowerCase()).isFalse();
      assertThat(lower.encodeRaw("Vitamin").ids()).isEqualTo(lower.encodeRaw("vitamin").ids());
      assertThat(cased.encodeRaw("Vitamin").ids()).isNotEqualTo(cased.encodeRaw("vitamin").ids());
    }
  }

  @Test
  void should_encode_the_same_from_many_threads() throws Exception {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add("document number " + i + " about homocysteine and vitamin B12 ".repeat(i % 7 + 1));
    }
    try (HfTokenizer tok = HfTokenizer.load(caseDir("deberta-v2"))) {
      List<Encoding> expected = tok.encodePairs("q", docs);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<Encoding>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> {
            List<Encoding> out = new ArrayList<>();
            for (String d : docs) {
              out.add(tok.encodePair("q", d));
            }
            return out;
          }));
        }
        for (Future<List<Encoding>> f : futures) {
          assertThat(f.get()).isEqualTo(expected);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void should_reject_null_texts_and_calls_after_close() {
    HfTokenizer tok = HfTokenizer.load(caseDir("bert"));
    assertThatThrownBy(() -> tok.encode(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tok.encodePairs("q", java.util.Arrays.asList("a", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("documents[1]");
    assertThat(tok.encodePairs("q", List.of())).isEmpty();
    assertThatThrownBy(() -> tok.pad(List.of())).isInstanceOf(IllegalArgumentException.class);
    tok.close();
    tok.close();
    assertThatThrownBy(() -> tok.encode("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void should_fail_clearly_on_missing_or_corrupt_files(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> HfTokenizer.load(dir))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer.json");
    Files.writeString(dir.resolve("tokenizer.json"), "{\"this is\": \"not a tokenizer\"}");
    assertThatThrownBy(() -> HfTokenizer.load(dir))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer.json: model is null");
    Files.copy(caseDir("bert").resolve("tokenizer.json"), dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{ broken");
    assertThatThrownBy(() -> HfTokenizer.load(dir))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer_config.json");
  }
}
