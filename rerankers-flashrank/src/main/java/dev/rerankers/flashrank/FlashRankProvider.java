package dev.rerankers.flashrank;

import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.internal.OnnxCrossEncoderSettings;
import dev.rerankers.flashrank.internal.DeclaredOptions;
import dev.rerankers.flashrank.internal.DenseLoader;
import dev.rerankers.flashrank.internal.DenseSettings;
import dev.rerankers.flashrank.internal.FlashRankLoader;
import dev.rerankers.flashrank.internal.FlashRankSettings;
import dev.rerankers.flashrank.internal.OnnxCrossEncoderLoader;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.List;
import java.util.Set;

/**
 * The ONNX Runtime backend, found by {@link java.util.ServiceLoader}; use {@code
 * Reranker.load(...)}. It serves three types, all on DJL's OnnxRuntime engine (no PyTorch):
 *
 * <ul>
 *   <li>{@code flashrank}: FlashRank's catalogue ({@link FlashRankModels}), scored as FlashRank
 *       scores (sigmoid of one logit, softmax column 1 of two), truncation 512 by default;
 *   <li>{@code onnx-cross-encoder}: any ONNX sequence-classification model from a Hub repo or a
 *       folder, scored as Python rerankers' cross-encoder (raw logit) or, with {@code sigmoid}, as
 *       FlashRank;
 *   <li>{@code dense}: an ONNX bi-encoder, cosine similarity of pooled, normalised embeddings, with
 *       a document-embedding cache; {@code Reranker.load("dense")} runs all-MiniLM-L6-v2 from the
 *       langchain4j jar on the class path when there is one, with no download.
 * </ul>
 *
 * <p>Options: the constants below, and the common ones this backend refines ({@code batchSize}
 * default 8, {@code maxLength}, {@code device}, {@code dtype} fp32 only); {@link #options(String)}
 * lists each type's, docs/flashrank.md has the tables. Rankers of every type share one ONNX Runtime
 * session across concurrent calls; the cross-encoders batch the pairs of several queries together
 * in {@code rankAll}.
 */
public final class FlashRankProvider implements RerankerProvider {
  /** The backend name. */
  public static final String NAME = "flashrank";

  /** Option: ONNX Runtime intra-op threads (0: its default, one per core). */
  public static final Option<Integer> INTRA_OP_THREADS = DeclaredOptions.INTRA_OP_THREADS;
  /** Option: ONNX Runtime inter-op threads (0: its default). */
  public static final Option<Integer> INTER_OP_THREADS = DeclaredOptions.INTER_OP_THREADS;
  /** Option: graph optimisation level: all (default), extended, basic, none. */
  public static final Option<String> OPT_LEVEL = DeclaredOptions.OPT_LEVEL;
  /** Option: execution provider: cpu (default), cuda, tensorrt, rocm, coreml. */
  public static final Option<String> EXECUTION_PROVIDER = DeclaredOptions.EXECUTION_PROVIDER;
  /** Option: batch inputs of similar length together (default true). */
  public static final Option<Boolean> SORT_BY_LENGTH = DeclaredOptions.SORT_BY_LENGTH;
  /** Option: the .onnx file to run, e.g. {@code onnx/model_quantized.onnx}. */
  public static final Option<String> FILE = DeclaredOptions.FILE;
  /** Option (onnx-cross-encoder): FlashRank-style probabilities instead of raw logits (default false). */
  public static final Option<Boolean> SIGMOID = DeclaredOptions.SIGMOID;
  /** Option: folder for unpacked zips and the bundled model (default RERANKERS_CACHE or ~/.cache/rerankers). */
  public static final Option<String> EXTRACT_DIR = DeclaredOptions.EXTRACT_DIR;
  /** Option (dense): mean or cls (default: the model's sentence-transformers config, else mean). */
  public static final Option<String> POOLING = DeclaredOptions.POOLING;
  /** Option (dense): text put before each query, e.g. {@code "query: "} for e5. */
  public static final Option<String> QUERY_PREFIX = DeclaredOptions.QUERY_PREFIX;
  /** Option (dense): text put before each document, e.g. {@code "passage: "} for e5. */
  public static final Option<String> PASSAGE_PREFIX = DeclaredOptions.PASSAGE_PREFIX;
  /** Option (dense): document embeddings kept in the LRU cache (default 10000; 0: off). */
  public static final Option<Integer> CACHE_SIZE = DeclaredOptions.CACHE_SIZE;
  /** Option (dense): use the bundled all-MiniLM-L6-v2 when on the class path (default true). */
  public static final Option<Boolean> EMBEDDED = DeclaredOptions.EMBEDDED;
  /** Option (dense): the bundled int8 all-MiniLM-L6-v2 (the -q jar) instead of fp32 (default false). */
  public static final Option<Boolean> QUANTIZED = DeclaredOptions.QUANTIZED;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("flashrank", "onnx-cross-encoder", "dense");
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return switch (modelType) {
      case "flashrank" -> DeclaredOptions.FLASHRANK;
      case "onnx-cross-encoder" -> DeclaredOptions.ONNX_CROSS_ENCODER;
      case "dense" -> DeclaredOptions.DENSE;
      default -> List.of();
    };
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return switch (spec.type()) {
      case "flashrank" -> FlashRankLoader.load(spec, FlashRankSettings.of(options));
      case "onnx-cross-encoder" -> OnnxCrossEncoderLoader.load(spec, OnnxCrossEncoderSettings.of(options));
      case "dense" -> DenseLoader.load(spec, DenseSettings.of(options));
      default -> throw new IllegalArgumentException("flashrank does not serve type " + spec.type());
    };
  }
}
