package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ML Transformer: its params are the options, it transforms like {@link Rerank#scores}, it
 * runs inside a Pipeline, and the stage and the fitted pipeline are saved and loaded with their
 * params intact and the same output.
 */
class RerankTransformerTest {
  @TempDir Path dir;

  static Dataset<Row> input() {
    return SparkTests.spark().createDataFrame(ErrorPolicyTest.cleanRows(), ErrorPolicyTest.SCHEMA).repartition(2);
  }

  static List<Row> sorted(Dataset<Row> d) {
    return d.collectAsList().stream()
        .sorted(Comparator.comparing((Row r) -> r.<String>getAs("query_id")).thenComparing(r -> r.<String>getAs("doc_id")))
        .toList();
  }

  @Test
  void params_become_options_with_the_same_defaults() {
    RerankTransformer t = new RerankTransformer().setSpec("spark-overlap:m").setTopK(3).setOnError(OnError.NULL)
        .setQueryIdCol("qid").setScoreCol("s").setBatchPairs(64);
    RerankOptions o = t.options();
    assertThat(o).isEqualTo(RerankOptions.builder("spark-overlap:m").topK(3).onError(OnError.NULL).queryIdCol("qid")
        .scoreCol("s").batchPairs(64).build());
    assertThat(new RerankTransformer().setSpec("x").options()).isEqualTo(RerankOptions.builder("x").build());
    assertThat(t.params()).extracting(p -> p.name()).contains("spec", "topK", "onError", "queryIdCol", "batchPairs");
    assertThatThrownBy(() -> new RerankTransformer().options()).hasMessageContaining("setSpec");
    assertThatThrownBy(() -> new RerankTransformer().setTopK(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void transform_equals_rerank_scores_and_the_schema_is_announced() {
    RerankTransformer t = new RerankTransformer().setSpec("spark-overlap:m").setTopK(2);
    Dataset<Row> in = input();
    assertThat(t.transformSchema(in.schema()).fieldNames()).endsWith("score", "rank");
    assertThat(sorted(t.transform(in))).isEqualTo(sorted(Rerank.scores(in, "spark-overlap:m", 2)));
  }

  @Test
  void a_pipeline_with_the_stage_is_saved_and_loaded() throws Exception {
    Dataset<Row> in = input();
    RerankTransformer rerank = new RerankTransformer().setSpec("spark-overlap:m").setTopK(3).setRankCol("position");
    SQLTransformer best = new SQLTransformer().setStatement("SELECT query_id, doc_id, score FROM __THIS__ WHERE position = 1");
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {rerank, best}).fit(in);
    List<Row> before = sorted(model.transform(in));
    assertThat(before).hasSize(40).allSatisfy(r -> assertThat(r.<String>getAs("doc_id")).isEqualTo("d5"));

    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    RerankTransformer stage = (RerankTransformer) loaded.stages()[0];
    assertThat(stage.uid()).isEqualTo(rerank.uid());
    assertThat(stage.options()).isEqualTo(rerank.options());
    assertThat(sorted(loaded.transform(in))).isEqualTo(before);

    String alone = dir.resolve("stage").toString();
    rerank.save(alone);
    assertThat(metadata(Path.of(alone))).contains("\"spec\":\"spark-overlap:m\"").contains("\"topK\":3");
    RerankTransformer back = RerankTransformer.load(alone);
    assertThat(back.options()).isEqualTo(rerank.options());
    assertThat(sorted(back.transform(in))).isEqualTo(sorted(rerank.transform(in)));
  }

  /** The text of the stage's metadata part files. */
  static String metadata(Path stage) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(stage.resolve("metadata"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        sb.append(Files.readString(f));
      }
    }
    return sb.toString();
  }

  @Test
  void a_spec_with_an_inline_key_is_never_written_to_disk() {
    String key = "sk-test-0123456789abcdefghijklmnop";
    RerankTransformer t = new RerankTransformer().setSpec("cohere:rerank-v3.5?apiKey=" + key);
    assertThatThrownBy(() -> t.save(dir.resolve("secret").toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("environment variable")
        .hasMessageNotContaining(key);
    assertThat(Files.exists(dir.resolve("secret"))).isFalse();
    assertThat(t.toString()).doesNotContain(key);
    assertThat(t.options().toString()).doesNotContain(key);
  }
}
