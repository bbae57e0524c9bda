package dev.rerankers.flashrank.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.InferenceException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.Fixtures;
import dev.rerankers.numeric.HalfFloats;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.PaddedBatch;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pieces: padding, score rules, options, cache, paths. */
class UnitsTest {
  @Test
  void token_batches_pad_on_the_right() {
    List<Encoding> enc = List.of(Encoding.of(new long[] {101, 7, 102}, new long[] {0, 0, 0}),
        Encoding.of(new long[] {101, 8, 9, 102, 10, 102}, new long[] {0, 0, 0, 0, 1, 1}));
    PaddedBatch b = PaddedBatch.of(List.of(enc.get(1), enc.get(0)), 3, true, false, 1);
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.length()).isEqualTo(6);
    assertThat(b.inputIds()).containsExactly(101, 8, 9, 102, 10, 102, 101, 7, 102, 3, 3, 3);
    assertThat(b.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0);
    assertThat(b.tokenTypeIds()).containsExactly(0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0);
    assertThat(b.lengths()[1]).isEqualTo(3);
    assertThat(b.tokenCount()).isEqualTo(9);
    assertThat(Arrays.stream(b.tokenTypeIds()).anyMatch(t -> t != 0)).isTrue();
  }

  @Test
  void score_rules_follow_flashrank_and_python_rerankers() {
    float[] one = {2.0f, -1.0f};
    assertThat(ScoreRule.FLASHRANK.score(one, 0, 1)).isCloseTo(1 / (1 + Math.exp(-2.0)), within());
    assertThat(ScoreRule.LOGIT.score(one, 1, 1)).isEqualTo(-1.0);
    float[] two = {0.5f, 1.5f, 3f, -2f};
    double softmax1 = Math.exp(1.5) / (Math.exp(0.5) + Math.exp(1.5));
    assertThat(ScoreRule.FLASHRANK.score(two, 0, 2)).isCloseTo(softmax1, within());
    assertThat(ScoreRule.LOGIT.score(two, 1, 2)).isEqualTo(-5.0);
    assertThat(ScoreRule.FLASHRANK.score(new float[] {1000f, -1000f}, 0, 2)).isEqualTo(0.0); // no overflow to NaN
    assertThatThrownBy(() -> ScoreRule.LOGIT.score(new float[3], 0, 3)).isInstanceOf(InferenceException.class);
  }

  @Test
  void session_options_map_to_djl_criteria_options() {
    RerankerSpec spec = Reranker.builder("dense").option("intraOpThreads", "2").option("interOpThreads", "1")
        .option("optLevel", "extended").resolve();
    OnnxSessionSettings o = session(spec);
    assertThat(o.criteriaOptions()).containsExactly(Map.entry("intraOpNumThreads", "2"),
        Map.entry("interOpNumThreads", "1"), Map.entry("optLevel", "EXTENDED_OPT"));
    assertThat(o.deviceLabel()).isEqualTo("cpu");
    OnnxSessionSettings gpu = session(Reranker.builder("dense").device("gpu:1").resolve());
    assertThat(gpu.provider()).isEqualTo("cuda");
    assertThat(gpu.gpuId()).isEqualTo(1);
    OnnxSessionSettings trt = session(Reranker.builder("dense").option("executionProvider", "tensorrt").resolve());
    assertThat(trt.criteriaOptions()).containsEntry("ortDevice", "TensorRT");
    assertThat(session(Reranker.builder("dense").device("auto").resolve()).gpuId()).isEqualTo(-1);
    assertThatThrownBy(() -> session(Reranker.builder("dense").option("intraOpThreads", "-1").resolve()))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> session(Reranker.builder("dense").device("gpu").option("executionProvider", "cpu")
        .resolve())).isInstanceOf(ConfigException.class);
  }

  @Test
  void the_embedding_cache_is_a_bounded_lru_with_counters() {
    EmbeddingCache c = new EmbeddingCache(2);
    EmbeddingCache.Key a = EmbeddingCache.key("a");
    EmbeddingCache.Key b = EmbeddingCache.key("b");
    EmbeddingCache.Key d = EmbeddingCache.key("d");
    assertThat(a).isNotEqualTo(b).isEqualTo(EmbeddingCache.key("a"));
    c.put(a, new float[] {1});
    c.put(b, new float[] {2});
    assertThat(c.get(a)).containsExactly(1); // a is now the most recent
    c.put(d, new float[] {3}); // evicts b
    assertThat(c.get(b)).isNull();
    assertThat(c.get(d)).containsExactly(3);
    assertThat(c.stats()).isEqualTo(new EmbeddingCache.Stats(2, 1, 1, 2, 2));
    EmbeddingCache off = new EmbeddingCache(0);
    off.put(a, new float[] {1});
    assertThat(off.get(a)).isNull();
  }

  @Test
  void pooling_means_over_real_tokens_only_and_normalises() {
    // 1 row, length 3 (last is padding), dim 2
    float[] hidden = {1, 2, 3, 4, 100, 100};
    float[] mean = new float[2];
    TokenPooling.MEAN.pool(hidden, 3, 2, 0, 2, mean);
    assertThat(mean).containsExactly(2, 3);
    float[] cls = new float[2];
    TokenPooling.CLS.pool(hidden, 3, 2, 0, 2, cls);
    assertThat(cls).containsExactly(1, 2);
    float[] v = {3, 4};
    TokenPooling.normalize(v);
    assertThat(v).containsExactly(0.6f, 0.8f);
    assertThat(TokenPooling.parse("CLS")).isEqualTo(TokenPooling.CLS);
  }

  @Test
  void the_cache_root_follows_option_then_environment() {
    RerankerSpec plain = Reranker.builder("dense").resolve();
    assertThat(CacheDirs.root(extractDir(plain), Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/rerankers"));
    assertThat(CacheDirs.root(extractDir(plain), Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u")).isEqualTo(Path.of("/xdg/rerankers"));
    assertThat(CacheDirs.root(extractDir(plain), Map.of("RERANKERS_CACHE", "/rc", "XDG_CACHE_HOME", "/xdg"), "/h"))
        .isEqualTo(Path.of("/rc"));
    RerankerSpec explicit = Reranker.builder("dense").option("extractDir", "/opt/x").resolve();
    assertThat(CacheDirs.root(extractDir(explicit), Map.of("RERANKERS_CACHE", "/rc"), "/h")).isEqualTo(Path.of("/opt/x"));
  }

  @Test
  void half_precision_converts_exactly() {
    assertThat(HalfFloats.fp16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(HalfFloats.fp16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(HalfFloats.fp16ToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
    assertThat(HalfFloats.fp16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  private static OnnxSessionSettings session(RerankerSpec spec) {
    return OnnxSessionSettings.of(Fixtures.options(spec));
  }

  private static java.util.Optional<Path> extractDir(RerankerSpec spec) {
    return CacheDirs.extractDir(Fixtures.options(spec));
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-7);
  }
}
