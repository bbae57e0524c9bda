package dev.rerankers.spark;

import java.io.IOException;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@link Rerank#scores} as a Spark ML {@link Transformer}, so it drops into a {@code Pipeline} and
 * is saved and loaded like any other stage. Every {@link RerankOptions} value is a param of the same
 * name; {@code spec} is required.
 *
 * <pre>{@code
 * RerankTransformer rerank = new RerankTransformer().setSpec("dense").setTopK(10);
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {rerank}).fit(candidates);
 * model.write().overwrite().save("/models/rerank-pipeline");
 * PipelineModel.load("/models/rerank-pipeline").transform(candidates);
 * }</pre>
 *
 * <p>Saving writes the spec into the stage's metadata, so a spec holding an API key or token
 * inline is refused: let the provider read it from its environment variable instead.
 */
public final class RerankTransformer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final DefaultParamsReadable<RerankTransformer> READABLE = new DefaultParamsReadable<>() {};

  private final String uid;
  private final Param<String> spec;
  private final Param<String> queryIdCol;
  private final Param<String> queryCol;
  private final Param<String> docIdCol;
  private final Param<String> textCol;
  private final Param<String> imageCol;
  private final Param<String> scoreCol;
  private final Param<String> rankCol;
  private final Param<String> errorCol;
  private final IntParam topK;
  private final Param<String> onError;
  private final IntParam batchPairs;
  private final IntParam numPartitions;

  /** A transformer with a random uid and the defaults of {@link RerankOptions#builder}. */
  public RerankTransformer() {
    this(Identifiable.randomUID("rerank"));
  }

  /** A transformer with the given uid (used when loading a saved stage). */
  public RerankTransformer(String uid) {
    this.uid = uid;
    spec = new Param<>(this, "spec", "the ranker, a rerankers config string (required)");
    queryIdCol = new Param<>(this, "queryIdCol", "column grouping rows into queries");
    queryCol = new Param<>(this, "queryCol", "query text column");
    docIdCol = new Param<>(this, "docIdCol", "document id column");
    textCol = new Param<>(this, "textCol", "document text column");
    imageCol = new Param<>(this, "imageCol", "column of image file paths for image rankers; empty for none");
    scoreCol = new Param<>(this, "scoreCol", "added score column");
    rankCol = new Param<>(this, "rankCol", "added rank column");
    errorCol = new Param<>(this, "errorCol", "added error column (onError=null)");
    topK = new IntParam(this, "topK", "keep the first K ranks of each query; 0 keeps every row", ParamValidators.gtEq(0));
    onError = new Param<>(this, "onError", "fail or null: what to do with a row that cannot be scored",
        ParamValidators.inArray(new String[] {"fail", "null"}));
    batchPairs = new IntParam(this, "batchPairs", "pairs per rankAll call across the queries of a partition",
        ParamValidators.gtEq(1));
    numPartitions = new IntParam(this, "numPartitions", "partitions to group queries into; 0: automatic",
        ParamValidators.gtEq(0));
    RerankOptions d = RerankOptions.builder("unset").build();
    setDefault(queryIdCol, d.queryIdCol());
    setDefault(queryCol, d.queryCol());
    setDefault(docIdCol, d.docIdCol());
    setDefault(textCol, d.textCol());
    setDefault(imageCol, "");
    setDefault(scoreCol, d.scoreCol());
    setDefault(rankCol, d.rankCol());
    setDefault(errorCol, d.errorCol());
    setDefault(topK, d.topK());
    setDefault(onError, d.onError().toString());
    setDefault(batchPairs, d.batchPairs());
    setDefault(numPartitions, d.numPartitions());
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The param {@code spec}. */
  public Param<String> spec() {
    return spec;
  }

  /** The param {@code queryIdCol}. */
  public Param<String> queryIdCol() {
    return queryIdCol;
  }

  /** The param {@code queryCol}. */
  public Param<String> queryCol() {
    return queryCol;
  }

  /** The param {@code docIdCol}. */
  public Param<String> docIdCol() {
    return docIdCol;
  }

  /** The param {@code textCol}. */
  public Param<String> textCol() {
    return textCol;
  }

  /** The param {@code imageCol}. */
  public Param<String> imageCol() {
    return imageCol;
  }

  /** The param {@code scoreCol}. */
  public Param<String> scoreCol() {
    return scoreCol;
  }

  /** The param {@code rankCol}. */
  public Param<String> rankCol() {
    return rankCol;
  }

  /** The param {@code errorCol}. */
  public Param<String> errorCol() {
    return errorCol;
  }

  /** The param {@code topK}. */
  public IntParam topK() {
    return topK;
  }

  /** The param {@code onError}. */
  public Param<String> onError() {
    return onError;
  }

  /** The param {@code batchPairs}. */
  public IntParam batchPairs() {
    return batchPairs;
  }

  /** The param {@code numPartitions}. */
  public IntParam numPartitions() {
    return numPartitions;
  }

  /** Sets the ranker's config string. */
  public RerankTransformer setSpec(String value) {
    set(spec, value);
    return this;
  }

  /** Sets the query id column. */
  public RerankTransformer setQueryIdCol(String value) {
    set(queryIdCol, value);
    return this;
  }

  /** Sets the query text column. */
  public RerankTransformer setQueryCol(String value) {
    set(queryCol, value);
    return this;
  }

  /** Sets the document id column. */
  public RerankTransformer setDocIdCol(String value) {
    set(docIdCol, value);
    return this;
  }

  /** Sets the document text column. */
  public RerankTransformer setTextCol(String value) {
    set(textCol, value);
    return this;
  }

  /** Sets the image path column ({@code null} or empty for none). */
  public RerankTransformer setImageCol(String value) {
    set(imageCol, value == null ? "" : value);
    return this;
  }

  /** Sets the added score column. */
  public RerankTransformer setScoreCol(String value) {
    set(scoreCol, value);
    return this;
  }

  /** Sets the added rank column. */
  public RerankTransformer setRankCol(String value) {
    set(rankCol, value);
    return this;
  }

  /** Sets the added error column. */
  public RerankTransformer setErrorCol(String value) {
    set(errorCol, value);
    return this;
  }

  /** Keeps the first K ranks of each query (0: all). */
  public RerankTransformer setTopK(int value) {
    set(topK, value);
    return this;
  }

  /** Sets the error policy. */
  public RerankTransformer setOnError(OnError value) {
    set(onError, value.toString());
    return this;
  }

  /** Sets the pairs per rankAll call. */
  public RerankTransformer setBatchPairs(int value) {
    set(batchPairs, value);
    return this;
  }

  /** Sets the number of partitions (0: automatic). */
  public RerankTransformer setNumPartitions(int value) {
    set(numPartitions, value);
    return this;
  }

  /**
   * The options these params stand for.
   *
   * @throws IllegalArgumentException when {@code spec} is not set or a value is invalid
   */
  public RerankOptions options() {
    if (!isDefined(spec)) {
      throw new IllegalArgumentException("RerankTransformer " + uid + ": set the ranker with setSpec(...) first");
    }
    String image = $(imageCol);
    return RerankOptions.builder($(spec))
        .queryIdCol($(queryIdCol))
        .queryCol($(queryCol))
        .docIdCol($(docIdCol))
        .textCol($(textCol))
        .imageCol(image == null || image.isEmpty() ? null : image)
        .scoreCol($(scoreCol))
        .rankCol($(rankCol))
        .errorCol($(errorCol))
        .topK((Integer) $(topK))
        .onError(OnError.parse($(onError)))
        .batchPairs((Integer) $(batchPairs))
        .numPartitions((Integer) $(numPartitions))
        .build();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return Rerank.scores(dataset.toDF(), options());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return Rerank.outputSchema(schema, options());
  }

  @Override
  public RerankTransformer copy(ParamMap extra) {
    return (RerankTransformer) defaultCopy(extra);
  }

  /**
   * Writes this stage's params.
   *
   * @throws IllegalStateException when the spec holds an API key or token inline
   */
  @Override
  public MLWriter write() {
    if (isDefined(spec) && options().specHoldsSecret()) {
      throw new IllegalStateException("RerankTransformer " + uid + ": the spec " + options().maskedSpec()
          + " holds a secret inline, which saving would write to disk; set it through the provider's environment"
          + " variable instead");
    }
    return DefaultParamsWritable.super.write();
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  /** The reader {@code Pipeline} and {@code PipelineModel} use to load this stage. */
  public static MLReader<RerankTransformer> read() {
    return READABLE.read();
  }

  /** Loads a stage saved with {@link #save}. */
  public static RerankTransformer load(String path) {
    return READABLE.load(path);
  }

  @Override
  public String toString() {
    return "RerankTransformer[uid=" + uid + (isDefined(spec) ? ", spec=" + options().maskedSpec() : "") + "]";
  }
}
