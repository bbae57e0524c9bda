package dev.rerankers.colbert;

import dev.rerankers.RerankerSpec;
import dev.rerankers.colbert.internal.ColbertLoader;
import dev.rerankers.colbert.internal.ColbertSettings;
import dev.rerankers.colbert.internal.PylateLoader;
import dev.rerankers.colbert.internal.PylateSettings;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.TransformersProvider;
import dev.rerankers.transformers.checkpoint.Placement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The late-interaction backend: {@code colbert} (Python rerankers' ColBERTRanker recipe on
 * ColBERTv2-style checkpoints: colbert-ir/colbertv2.0, FraColBERTv2, JaColBERTv2,
 * answerai-colbert-small) and {@code pylate} (PyLate models such as lightonai/GTE-ModernColBERT-v1,
 * in the sentence-transformers layout, or Stanford checkpoints as PyLate reads them). Encoders come
 * from rerankers-transformers; scores are MaxSim over L2-normalised token vectors. Found by {@link
 * java.util.ServiceLoader}; use {@code Reranker.load("colbert")} or {@code Reranker.load("pylate")}.
 *
 * <p>Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 32,
 * {@code maxLength}: the document length in tokens) are declared below; {@code rerankers models
 * --options colbert} and docs/colbert.md list them.
 *
 * <p>Each call reports in {@code RankedResults.usage()} how many distinct documents it encoded
 * ({@code encoded_documents}) and took from the cache ({@code cached_documents}).
 */
public final class ColbertProvider implements RerankerProvider {
  /** The ColBERT type. */
  public static final String COLBERT = "colbert";
  /** The PyLate type. */
  public static final String PYLATE = "pylate";

  /** Option: the document-vector cache budget in MiB (0 disables the cache). */
  public static final Option<Integer> CACHE_MB =
      Option.integer("cacheMb", "document-vector cache budget in MiB; 0 disables the cache").atLeast(0)
          .defaultValue(256);
  /** Option (colbert): the projection weight's key. */
  public static final Option<String> PROJECTION =
      Option.text("projection", "the projection weight's key, when the checkpoint holds none or several of the usual ones")
          .defaultDescribed("the one present of linear.weight, colbert_linear.weight, model.linear.weight, "
              + "bert.linear.weight");
  /** Option (colbert): the query marker token. */
  public static final Option<String> QUERY_TOKEN =
      Option.text("queryToken", "the query marker token (Python's query_token)").defaultValue("[unused0]");
  /** Option (colbert): the document marker token. */
  public static final Option<String> DOCUMENT_TOKEN =
      Option.text("documentToken", "the document marker token (Python's document_token)").defaultValue("[unused1]");
  /** Option (pylate): the query length in tokens. */
  public static final Option<Integer> QUERY_LENGTH =
      Option.integer("queryLength", "query length in tokens, prefix and expansion included").atLeast(3)
          .defaultDescribed("the model's query_length (32 if unset)");

  private static final Option<Integer> BATCH_SIZE = CommonOptions.BATCH_SIZE.defaultValue(32)
      .doc("documents per encoder batch (as Python); the query is always encoded on its own");
  private static final Option<Integer> COLBERT_MAX_LENGTH = CommonOptions.MAX_LENGTH.atLeast(3)
      .defaultDescribed("max_position_embeddings − 2")
      .doc("document length in tokens, markers included");
  private static final Option<Integer> PYLATE_MAX_LENGTH = COLBERT_MAX_LENGTH
      .defaultDescribed("the model's document_length (180 if unset)");

  @Override
  public String name() {
    return "colbert";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of(COLBERT, PYLATE);
  }

  @Override
  public List<Option<?>> options(String modelType) {
    List<Option<?>> own = PYLATE.equals(modelType)
        ? List.of(BATCH_SIZE, PYLATE_MAX_LENGTH, CACHE_MB, QUERY_LENGTH)
        : List.of(BATCH_SIZE, COLBERT_MAX_LENGTH, CACHE_MB, PROJECTION, QUERY_TOKEN, DOCUMENT_TOKEN);
    List<Option<?>> all = new java.util.ArrayList<>(own);
    all.addAll(TransformersProvider.GRAPH_OPTIONS);
    return List.copyOf(all);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return PYLATE.equals(spec.type())
        ? PylateLoader.load(spec, pylateSettings(options))
        : ColbertLoader.load(spec, colbertSettings(options));
  }

  static ColbertSettings colbertSettings(OptionValues o) {
    return new ColbertSettings(o.get(BATCH_SIZE), cacheBytes(o), placement(o), optionalInt(o, COLBERT_MAX_LENGTH),
        o.optional(PROJECTION), o.get(QUERY_TOKEN), o.get(DOCUMENT_TOKEN), TransformersProvider.graphRuntime(o));
  }

  static PylateSettings pylateSettings(OptionValues o) {
    return new PylateSettings(o.get(BATCH_SIZE), cacheBytes(o), placement(o), optionalInt(o, PYLATE_MAX_LENGTH),
        optionalInt(o, QUERY_LENGTH), TransformersProvider.graphRuntime(o));
  }

  private static long cacheBytes(OptionValues o) {
    return (long) o.get(CACHE_MB) << 20;
  }

  private static Placement placement(OptionValues o) {
    return Placement.resolve(o.optional(CommonOptions.DEVICE).orElse(null), o.optional(CommonOptions.DTYPE).orElse(null));
  }

  private static OptionalInt optionalInt(OptionValues o, Option<Integer> option) {
    Optional<Integer> v = o.optional(option);
    return v.isPresent() ? OptionalInt.of(v.get()) : OptionalInt.empty();
  }
}
