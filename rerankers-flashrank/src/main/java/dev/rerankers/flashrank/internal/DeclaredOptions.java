package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The options of this module's three types, declared once: key, type, default, range and the doc
 * line docs/flashrank.md shows. {@code FlashRankProvider} publishes them under its own constant
 * names and returns the lists below; the settings records ({@link OnnxCrossEncoderSettings}, {@link
 * FlashRankSettings}, {@link DenseSettings}) read them. Core checks every value against these
 * declarations before a loader runs, so nothing downstream validates again.
 */
public final class DeclaredOptions {
  private DeclaredOptions() {}

  /**
   * Pairs or texts per ONNX Runtime call: with batches sorted by length, 8 was fastest on CPU in
   * the FlashRank benchmark (MiniLM-L12, int8: 3.7x FlashRank's one-batch-per-query on mixed lengths,
   * 1.9x on uniform ones, against 1.4x and 1.2x with 32).
   */
  public static final Option<Integer> BATCH_SIZE = CommonOptions.BATCH_SIZE.defaultValue(8)
      .doc("pairs (or texts) per ONNX Runtime call; 8 was fastest on CPU with length sorting, raise it on a GPU");

  /** The device: CUDA on a GPU, else the CPU. */
  public static final Option<String> DEVICE = CommonOptions.DEVICE.defaultValue("cpu")
      .doc("cpu; gpu or gpu:N run CUDA on that GPU; auto stays on the CPU unless executionProvider asks for a GPU");

  /** Only fp32: an ONNX file has its own precision. */
  public static final Option<String> DTYPE =
      Option.text(CommonOptions.DTYPE.key(), String.class, DeclaredOptions::fp32Only,
              "fp32 only: an ONNX file has its own precision, pick an fp16 or int8 export with file")
          .defaultValue("fp32");

  /** FlashRank's {@code max_length}, lowered to the model's {@code model_max_length}. */
  public static final Option<Integer> MAX_LENGTH_FLASHRANK = CommonOptions.MAX_LENGTH.atLeast(2).defaultValue(512)
      .doc("truncation in tokens, special tokens included, lowered to the model's model_max_length as FlashRank does");

  /** The cross-encoder's truncation, the model's own unless set. */
  public static final Option<Integer> MAX_LENGTH_CROSS_ENCODER = CommonOptions.MAX_LENGTH.atLeast(2)
      .defaultDescribed("model_max_length, else the position table, else 512")
      .doc("truncation in tokens, special tokens included, lowered to the model's position table");

  /** The bi-encoder's truncation, sentence-transformers' unless set. */
  public static final Option<Integer> MAX_LENGTH_DENSE = CommonOptions.MAX_LENGTH.atLeast(2)
      .defaultDescribed("max_seq_length, else model_max_length, else 512")
      .doc("truncation in tokens, special tokens included, lowered to the model's position table");

  /** The revision of the catalogue repository. */
  public static final Option<String> REVISION_FLASHRANK = CommonOptions.REVISION
      .doc("Hub revision (branch, tag or commit) of prithivida/flashrank, the catalogue's repository");

  /** ONNX Runtime intra-op threads. */
  public static final Option<Integer> INTRA_OP_THREADS =
      Option.integer("intraOpThreads", "ONNX Runtime threads inside one operator; 0: its default, one per core")
          .atLeast(0).defaultValue(0);

  /** ONNX Runtime inter-op threads. */
  public static final Option<Integer> INTER_OP_THREADS =
      Option.integer("interOpThreads", "ONNX Runtime threads across operators; 0: its default")
          .atLeast(0).defaultValue(0);

  /** Graph optimisation level, canonical lower case. */
  public static final Option<String> OPT_LEVEL =
      Option.text("optLevel", String.class, OnnxSessionSettings::parseOptLevel,
              "ONNX Runtime graph optimisation: all, extended, basic or none")
          .defaultValue("all");

  /** Execution provider. */
  public static final Option<String> EXECUTION_PROVIDER =
      Option.choice("executionProvider",
              "ONNX Runtime execution provider; all but cpu need an ONNX Runtime build with it on the class path",
              "cpu", "cuda", "tensorrt", "rocm", "coreml")
          .defaultDescribed("cpu (cuda when device is gpu)");

  /** Batching by length. */
  public static final Option<Boolean> SORT_BY_LENGTH =
      Option.bool("sortByLength", "batch inputs of similar length together, longest first (false: in input order);"
              + " scores come back in input order")
          .defaultValue(true);

  /** The .onnx file of a Hub repo or folder. */
  public static final Option<String> FILE =
      Option.text("file", String.class, DeclaredOptions::onnxPath, "the .onnx file to run, a path inside the model")
          .defaultDescribed("onnx/model.onnx, else model.onnx, else the only .onnx");

  /** The .onnx file of a local FlashRank folder. */
  public static final Option<String> FILE_FLASHRANK =
      FILE.doc("the .onnx file to run in a local FlashRank folder (catalogue models always run their own)")
          .defaultDescribed("the catalogue's file, else the only .onnx");

  /** The .onnx file of a bi-encoder. */
  public static final Option<String> FILE_DENSE =
      FILE.doc("the .onnx file to run, a path inside the model (not for the bundled model)");

  /** FlashRank-style scores for onnx-cross-encoder. */
  public static final Option<Boolean> SIGMOID =
      Option.bool("sigmoid", "FlashRank-style probabilities (sigmoid of the relevance logit) instead of raw logits")
          .defaultValue(false);

  /** Where zips and the bundled model are unpacked. */
  public static final Option<String> EXTRACT_DIR =
      Option.text("extractDir", String.class, DeclaredOptions::folder,
              "folder for unpacked FlashRank zips and the bundled dense model")
          .defaultDescribed("RERANKERS_CACHE, else $XDG_CACHE_HOME/rerankers, else ~/.cache/rerankers");

  /** Token pooling of the bi-encoder, canonical lower case. */
  public static final Option<String> POOLING =
      Option.text("pooling", String.class, v -> TokenPooling.parse(v).name().toLowerCase(Locale.ROOT),
              "how token vectors become one text vector: mean or cls")
          .defaultDescribed("the model's sentence-transformers pooling, else mean");

  /** Text before each query. */
  public static final Option<String> QUERY_PREFIX =
      Option.text("queryPrefix", "text put before each query, e.g. 'query: ' for e5")
          .defaultDescribed("the model's query prompt, else none");

  /** Text before each document. */
  public static final Option<String> PASSAGE_PREFIX =
      Option.text("passagePrefix", "text put before each document, e.g. 'passage: ' for e5")
          .defaultDescribed("the model's document prompt, else none");

  /** Document vectors kept. */
  public static final Option<Integer> CACHE_SIZE =
      Option.integer("cacheSize", "document embeddings kept in the LRU cache; 0 turns the cache off")
          .atLeast(0).defaultValue(10_000);

  /** The bundled all-MiniLM-L6-v2. */
  public static final Option<Boolean> EMBEDDED =
      Option.bool("embedded", "run all-MiniLM-L6-v2 from the langchain4j jar on the class path when there is one")
          .defaultValue(true);

  /** The bundled int8 model. */
  public static final Option<Boolean> QUANTIZED =
      Option.bool("quantized", "the bundled int8 all-MiniLM-L6-v2 (the -q jar) instead of fp32")
          .defaultValue(false);

  /** Options of type {@code flashrank}. */
  public static final List<Option<?>> FLASHRANK = List.of(DEVICE, DTYPE, BATCH_SIZE, MAX_LENGTH_FLASHRANK,
      REVISION_FLASHRANK, FILE_FLASHRANK, EXTRACT_DIR, SORT_BY_LENGTH, INTRA_OP_THREADS, INTER_OP_THREADS, OPT_LEVEL,
      EXECUTION_PROVIDER);

  /** Options of type {@code onnx-cross-encoder}. */
  public static final List<Option<?>> ONNX_CROSS_ENCODER = List.of(DEVICE, DTYPE, BATCH_SIZE, MAX_LENGTH_CROSS_ENCODER,
      FILE, SIGMOID, EXTRACT_DIR, SORT_BY_LENGTH, INTRA_OP_THREADS, INTER_OP_THREADS, OPT_LEVEL, EXECUTION_PROVIDER);

  /** Options of type {@code dense}. */
  public static final List<Option<?>> DENSE = List.of(DEVICE, DTYPE, BATCH_SIZE, MAX_LENGTH_DENSE, FILE_DENSE,
      POOLING, QUERY_PREFIX, PASSAGE_PREFIX, CACHE_SIZE, EMBEDDED, QUANTIZED, EXTRACT_DIR, SORT_BY_LENGTH,
      INTRA_OP_THREADS, INTER_OP_THREADS, OPT_LEVEL, EXECUTION_PROVIDER);

  private static String fp32Only(String value) {
    String dtype = CommonOptions.DTYPE.parse(value);
    if (!dtype.equals("fp32")) {
      throw new ConfigException("dtype " + dtype + " is not applied to ONNX models: an ONNX file has its own"
          + " precision; pick a variant file instead (option " + FILE.key()
          + ", e.g. onnx/model_fp16.onnx or onnx/model_quantized.onnx)");
    }
    return dtype;
  }

  private static String onnxPath(String value) {
    String path = value.strip();
    if (!path.endsWith(".onnx")) {
      throw new ConfigException("option file must name an .onnx file in the model, got '" + path + "'");
    }
    return path;
  }

  /** A folder path, stripped; empty means unset. */
  private static String folder(String value) {
    String path = value.strip();
    if (!path.isEmpty()) {
      Path.of(path); // an InvalidPathException becomes the option's ConfigException
    }
    return path;
  }
}
