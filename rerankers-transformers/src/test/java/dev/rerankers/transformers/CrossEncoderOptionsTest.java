package dev.rerankers.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options and bad inputs of the cross-encoder ranker, each failing with a clear exception. */
class CrossEncoderOptionsTest {
  static final List<String> DOCS = List.of("vitamin b12 and homocysteine", "a title", "tnf-α signalling in cells");
  static final String QUERY = "A deficiency of vitamin B12 increases blood levels of homocysteine.";

  @TempDir Path tmp;

  /** A copy of an e2e folder under tmp/name (file permissions made writable). */
  Path copy(String e2eCase, String name) throws IOException {
    Path src = TestFiles.resource("e2e/" + e2eCase);
    Path dst = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        dst.resolve(f.getFileName()).toFile().setWritable(true);
      }
    }
    return dst;
  }

  static double[] scores(Reranker r) {
    RankedResults res = r.rank(QUERY, DOCS);
    double[] out = new double[DOCS.size()];
    res.forEach(x -> out[((Number) x.id()).intValue()] = x.score());
    return out;
  }

  @Test
  void should_apply_sigmoid_when_asked() throws IOException {
    Path bert = copy("bert", "bert");
    try (Reranker raw = Reranker.load("cross-encoder:" + bert);
        Reranker sig = Reranker.load("cross-encoder:" + bert + "?sigmoid=true")) {
      double[] a = scores(raw);
      double[] b = scores(sig);
      for (int i = 0; i < a.length; i++) {
        assertThat(b[i]).isCloseTo(1 / (1 + Math.exp(-a[i])), within(1e-9)).isBetween(0.0, 1.0);
      }
      assertThat(sig.info().details().get("score")).contains("sigmoid");
    }
  }

  @Test
  void should_compute_in_fp32_when_half_precision_is_asked_on_the_cpu() throws IOException {
    Path bert = copy("bert", "bert");
    try (Reranker fp32 = Reranker.load("cross-encoder:" + bert + "?device=cpu");
        Reranker bf16 = Reranker.load("cross-encoder:" + bert + "?device=cpu&dtype=bf16");
        Reranker fp16 = Reranker.load("cross-encoder:" + bert + "?device=cpu&dtype=fp16")) {
      assertThat(bf16.info().dtype()).isEqualTo("fp32");
      assertThat(fp16.info().dtype()).isEqualTo("fp32");
      assertThat(bf16.info().device()).isEqualTo("cpu");
      assertThat(scores(bf16)).containsExactly(scores(fp32));
      assertThat(scores(fp16)).containsExactly(scores(fp32));
    }
  }

  @Test
  void should_require_the_monobert_option_for_a_two_label_model_without_the_name() throws IOException {
    Path two = copy("monobert", "two-label");
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + two))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("monobert=true");
    try (Reranker byOption = Reranker.load("cross-encoder:" + two + "?monobert=true");
        Reranker byName = Reranker.load("cross-encoder:" + TestFiles.resource("e2e/monobert"))) {
      assertThat(scores(byOption)).containsExactly(scores(byName));
    }
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + copy("bert", "b") + "?monobert=true"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("2-label");
  }

  @Test
  void should_list_the_supported_architectures_for_an_unsupported_one() throws IOException {
    Path dir = copy("bert", "gpt");
    Files.writeString(dir.resolve("config.json"),
        Files.readString(dir.resolve("config.json")).replace("BertForSequenceClassification", "GPT2ForSequenceClassification"));
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("GPT2ForSequenceClassification")
        .hasMessageContaining("BertForSequenceClassification, RobertaForSequenceClassification")
        .hasMessageContaining("DebertaV2ForSequenceClassification")
        .hasMessageContaining("ModernBertForSequenceClassification");
  }

  @Test
  void should_reject_a_config_whose_hidden_size_does_not_split_into_heads() throws IOException {
    Path dir = copy("bert", "heads");
    String cfg = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), cfg.replaceFirst("\"num_attention_heads\": \\d+", "\"num_attention_heads\": 5"));
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a multiple of num_attention_heads 5");
  }

  @Test
  void should_reject_weights_that_do_not_match_the_config() throws IOException {
    Path dir = copy("bert", "layers");
    String cfg = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), cfg.replaceFirst("\"num_hidden_layers\": \\d+", "\"num_hidden_layers\": 1"));
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + dir))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("does not use").hasMessageContaining("encoder.layer.1");
    Files.writeString(dir.resolve("config.json"), cfg.replaceFirst("\"num_hidden_layers\": \\d+", "\"num_hidden_layers\": 3"));
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + dir))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("encoder.layer.2");
  }

  @Test
  void should_fail_clearly_when_token_ids_exceed_the_model_vocabulary() throws IOException {
    // the golden BERT has 1000 words; the e2e tokenizer produces ids up to 3000
    Path dir = copy("bert", "mismatch");
    Path golden = TestFiles.resource("golden/BertForSequenceClassification");
    Files.copy(golden.resolve("config.json"), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(golden.resolve("model.safetensors"), dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
    try (Reranker r = Reranker.load("cross-encoder:" + dir)) {
      assertThatThrownBy(() -> r.rank(QUERY, DOCS))
          .isInstanceOf(InferenceException.class).hasMessageContaining("outside the vocabulary");
      assertThat(r.rank("", List.of("")).size()).isEqualTo(1); // [CLS] [SEP] [SEP] is within range: still usable
    }
  }

  @Test
  void should_reject_bad_options_and_missing_weights() throws IOException {
    Path bert = copy("bert", "bert");
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + bert + "?format=pickle"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("format must be");
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + bert + "?colour=blue"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + bert + "?sigmoid=maybe"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sigmoid");
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + bert + "?device=gpu"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("GPU");
    Files.delete(bert.resolve("model.safetensors"));
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + bert))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("no model.safetensors");
  }

  @Test
  void should_truncate_to_an_explicit_max_length() throws IOException {
    Path bert = copy("bert", "bert");
    Map<String, Object> expected = TestFiles.json(bert.resolve("expected.json"));
    @SuppressWarnings("unchecked")
    List<String> docs = (List<String>) ((List<Map<String, Object>>) expected.get("cases")).get(0).get("docs");
    try (Reranker full = Reranker.load("cross-encoder:" + bert);
        Reranker shortR = Reranker.load("cross-encoder:" + bert + "?maxLength=32")) {
      assertThat(shortR.info().details()).containsEntry("maxLength", "32");
      double a = full.score(QUERY, docs.get(1));
      double b = shortR.score(QUERY, docs.get(1));
      assertThat(a).isNotEqualTo(b); // a 2,500-token document: 512 vs 32 tokens seen
    }
  }
}
