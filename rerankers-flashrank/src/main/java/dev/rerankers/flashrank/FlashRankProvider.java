package dev.rerankers.flashrank;

import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.internal.DenseLoader;
import dev.rerankers.flashrank.internal.FlashRankLoader;
import dev.rerankers.flashrank.internal.OnnxCrossEncoderLoader;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.HashSet;
import java.util.Set;

/**
 * The ONNX Runtime backend, found by {@link java.util.ServiceLoader}; use {@code
 * Reranker.load(...)}. It serves three types, all on DJL's OnnxRuntime engine (no PyTorch):
 *
 * <ul>
 *   <li>{@code flashrank}: FlashRank's catalogue ({@link FlashRankCatalog}), scored as FlashRank
 *       scores (sigmoid of one logit, softmax column 1 of two), truncation 512 by default;
 *   <li>{@code onnx-cross-encoder}: any ONNX sequence-classification model from a Hub repo or a
 *       folder, scored as Python rerankers' cross-encoder (raw logit) or, with {@value #SIGMOID},
 *       as FlashRank;
 *   <li>{@code dense}: an ONNX bi-encoder, cosine similarity of pooled, normalised embeddings, with
 *       a document-embedding cache; {@code Reranker.load("dense")} runs all-MiniLM-L6-v2 from the
 *       langchain4j jar on the class path when there is one, with no download.
 * </ul>
 *
 * <p>Options (besides {@code batchSize} default 8, {@code maxLength}, {@code device}, and the Hub
 * options) are the constants below; docs/flashrank.md has the full table. Rankers of every type
 * share one ONNX Runtime session across concurrent calls.
 */
public final class FlashRankProvider implements RerankerProvider {
  /** The backend name. */
  public static final String NAME = "flashrank";

  /** Option: ONNX Runtime intra-op threads (0: its default, one per core). */
  public static final String INTRA_OP_THREADS = "intraOpThreads";
  /** Option: ONNX Runtime inter-op threads (0: its default). */
  public static final String INTER_OP_THREADS = "interOpThreads";
  /** Option: graph optimisation level: all (default), extended, basic, none. */
  public static final String OPT_LEVEL = "optLevel";
  /** Option: execution provider: cpu (default), cuda, tensorrt, rocm, coreml. */
  public static final String EXECUTION_PROVIDER = "executionProvider";
  /** Option: batch inputs of similar length together (default true). */
  public static final String SORT_BY_LENGTH = "sortByLength";
  /** Option: the .onnx file to run, e.g. {@code onnx/model_quantized.onnx}. */
  public static final String FILE = "file";
  /** Option (onnx-cross-encoder): FlashRank-style probabilities instead of raw logits (default false). */
  public static final String SIGMOID = "sigmoid";
  /** Option: folder for unpacked zips and the bundled model (default RERANKERS_CACHE or ~/.cache/rerankers). */
  public static final String EXTRACT_DIR = "extractDir";
  /** Option (dense): mean or cls (default: the model's sentence-transformers config, else mean). */
  public static final String POOLING = "pooling";
  /** Option (dense): text put before each query, e.g. {@code "query: "} for e5. */
  public static final String QUERY_PREFIX = "queryPrefix";
  /** Option (dense): text put before each document, e.g. {@code "passage: "} for e5. */
  public static final String PASSAGE_PREFIX = "passagePrefix";
  /** Option (dense): document embeddings kept in the LRU cache (default 10000; 0: off). */
  public static final String CACHE_SIZE = "cacheSize";
  /** Option (dense): use the bundled all-MiniLM-L6-v2 when on the class path (default true). */
  public static final String EMBEDDED = "embedded";
  /** Option (dense): the bundled int8 all-MiniLM-L6-v2 (the -q jar) instead of fp32 (default false). */
  public static final String QUANTIZED = "quantized";

  private static final Set<String> SESSION =
      Set.of(INTRA_OP_THREADS, INTER_OP_THREADS, OPT_LEVEL, EXECUTION_PROVIDER, SORT_BY_LENGTH, EXTRACT_DIR);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("flashrank", "onnx-cross-encoder", "dense");
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    Set<String> keys = new HashSet<>(SESSION);
    switch (modelType) {
      case "flashrank" -> keys.add(FILE);
      case "onnx-cross-encoder" -> keys.addAll(Set.of(FILE, SIGMOID));
      case "dense" -> keys.addAll(Set.of(FILE, POOLING, QUERY_PREFIX, PASSAGE_PREFIX, CACHE_SIZE, EMBEDDED, QUANTIZED));
      default -> { }
    }
    return Set.copyOf(keys);
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return switch (spec.type()) {
      case "flashrank" -> FlashRankLoader.load(spec);
      case "onnx-cross-encoder" -> OnnxCrossEncoderLoader.load(spec);
      case "dense" -> DenseLoader.load(spec);
      default -> throw new IllegalArgumentException("flashrank does not serve type " + spec.type());
    };
  }
}
