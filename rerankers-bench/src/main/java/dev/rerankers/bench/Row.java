package dev.rerankers.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of the table: a Java backend and its Python peer on the same model folder and inputs.
 *
 * <p>Sizes are chosen so that the whole run (every row, both sides, the prefix sweep, the fused-attention
 * experiment, the model folders made first) takes about 25 minutes on a quiet 2-core machine: full
 * depth and issue 19's 100 candidates for the MiniLM-size models, bge-reranker-base and ColBERT, fewer
 * candidates for T5 and UPR, fewer layers and candidates for the LLMs and the vision model (see {@link
 * #layers}); docs/benchmarks.md says which. The LLM rows' Python peers dominate: they compute the LM head (150-256k vocabulary) at
 * every position, the Java side at the last one only.
 *
 * @param id the name {@code --only} takes
 * @param type the Java model type
 * @param model the model folder's name under the models directory ({@code ""}: the backend's own
 *     default, e.g. dense's bundled all-MiniLM-L6-v2)
 * @param peerModel the folder the Python peer loads, when it differs (dense: the same weights as
 *     safetensors)
 * @param family the Python peer ({@code peer.py}'s family)
 * @param shape what the model stands for: the default model, its shape, the weights, the depth run
 * @param javaOptions extra options of the Java config string (after {@code ?device=cpu})
 * @param pythonBatch the batch size given to the Python peer (its library's default, or the Java
 *     side's where they differ only by default)
 * @param queries SciFact queries per set
 * @param candidates documents per query
 * @param firstDocs documents of the time-to-first-result call
 * @param repeats timed passes per set (the best is kept)
 * @param estSeconds about how long the row takes on a quiet 2-core machine, both sides (and, for rows that
 *     {@link #recordsGraph record a graph}, the first-ever load before them)
 * @param images whether the documents are images
 * @param ttfrGoal whether the 2 s time-to-first-result goal applies (cross-encoder and dense on small
 *     models)
 * @param pythonExtras extra fields for the peer's spec
 */
record Row(String id, String type, String model, String peerModel, String family, String shape, String javaOptions,
    int pythonBatch, int queries, int candidates, int firstDocs, int repeats, int estSeconds, boolean images,
    boolean ttfrGoal, Map<String, Object> pythonExtras) {

  /** The MiniCPM layerwise folder: BAAI's remote code, 3 layers whatever {@link #layers} says (make_models.py). */
  static final String MINICPM_MODEL = "minicpm-layerwise-2b-shape";

  /** Every row, in table order. Layer counts below the real model's are set in {@link #layers}. */
  static List<Row> all() {
    return List.of(
        new Row("cross-encoder-minilm-l6", "cross-encoder", "minilm-l6-ce", null, "cross-encoder",
            "MiniLM-L6-H384 (real all-MiniLM-L6-v2 encoder + seeded 1-logit head), 6 of 6 layers",
            "&batchSize=16", 16, 1, 100, 10, 2, 55, false, true, Map.of()),
        new Row("cross-encoder-minilm-l12", "cross-encoder", "minilm-l12-ce", null, "cross-encoder",
            "ms-marco-MiniLM-L-12-v2 shape (BERT 12x384, 12 heads), seeded, 12 of 12 layers",
            "&batchSize=16", 16, 1, 100, 10, 1, 75, false, false, Map.of()),
        new Row("cross-encoder-bge-base", "cross-encoder", "bge-reranker-base-shape", null, "cross-encoder",
            "bge-reranker-base shape (XLM-R 12x768, vocab 250,002), seeded, 12 of 12 layers",
            "&batchSize=16", 16, 1, 100, 4, 1, 220, false, false, Map.of()),
        new Row("t5-base", "t5", "t5-base-ranker", null, "t5",
            "InRanker-base shape (T5-base 12+12x768), seeded, all layers",
            "&batchSize=32", 32, 1, 32, 4, 1, 80, false, false, Map.of()),
        new Row("upr-t5-large", "upr", "upr-t5-large-lm-adapt-shape", null, "upr",
            "t5-large-lm-adapt shape (T5 v1.1 1024 wide, 16 heads, gated-GELU), seeded, 6 of 24 layers each side",
            "&batchSize=16", 16, 1, 24, 4, 1, 70, false, false, Map.of()),
        new Row("flashrank-minilm-l12", "flashrank", "flashrank-minilm-l12", null, "flashrank",
            "ms-marco-MiniLM-L-12-v2 shape as FlashRank ships it (ONNX, int8), seeded, 12 of 12 layers",
            "&file=flashrank-MiniLM-L-12-v2_Q.onnx", 0, 1, 100, 10, 2, 50, false, false,
            Map.of("onnx_file", "flashrank-MiniLM-L-12-v2_Q.onnx")),
        new Row("dense-minilm-l6", "dense", "", "minilm-l6-st", "dense",
            "all-MiniLM-L6-v2 (real weights; Java: ONNX Runtime, cache off; Python: torch), 6 of 6 layers",
            "&cacheSize=0", 32, 1, 100, 10, 2, 30, false, true, Map.of()),
        new Row("colbert-v2", "colbert", "colbertv2-shape", null, "colbert",
            "colbertv2.0 shape (BERT 12x768, linear to 128; Java: document cache off), seeded, 12 of 12 layers",
            "&batchSize=32&cacheMb=0", 32, 1, 100, 4, 1, 245, false, false, Map.of()),
        new Row("qwen3-reranker-0.6b", "qwen3-reranker", "qwen3-reranker-0.6b-shape", null, "qwen3-reranker",
            "Qwen3-Reranker-0.6B shape (1024 wide, 16/8 heads, vocab 151,669), seeded, 7 of 28 layers",
            "&batchSize=16", 16, 1, 12, 4, 1, 105, false, false, Map.of()),
        new Row("mxbaiv2-base", "mxbaiv2", "mxbai-v2-base-shape", null, "mxbaiv2",
            "mxbai-rerank-base-v2 shape (Qwen2.5-0.5B: 896 wide, 14/2 heads, vocab 151,936), seeded, 6 of 24 layers",
            "&batchSize=16", 16, 1, 12, 4, 1, 95, false, false, Map.of()),
        new Row("llm-gemma2-2b", "llm-layerwise", "gemma2-2b-llm", null, "llm-layerwise",
            "Gemma2-2B shape (2304 wide, 8/4 heads, vocab 256,000) under bge-reranker-v2-gemma's recipe, seeded, "
                + "2 of 26 layers", "&batchSize=16", 16, 1, 6, 2, 1, 140, false, false, Map.of()),
        new Row("llm-minicpm-layerwise", "llm-layerwise", MINICPM_MODEL, null, "llm-layerwise",
            "bge-reranker-v2-minicpm-layerwise / MiniCPM-2B shape (2304 wide, 36 heads, vocab 122,753), BAAI's "
                + "LayerWiseMiniCPMForCausalLM, seeded, 3 layers built, heads from layer 1, scored at cutoff 2 "
                + "(real: 40, 8, 28)", "&batchSize=16&cutoffLayers=2", 16, 1, 6, 2, 3, 150, false, false,
            Map.of("cutoff_layers", List.of(2))),
        new Row("monovlm-qwen2vl-2b", "monovlm", "monoqwen2-vl-2b-shape", null, "monovlm",
            "MonoQwen2-VL / Qwen2-VL-2B shape (vision 1280 wide, text 1536 wide, vocab 151,936), seeded, "
                + "vision 4 of 32 blocks, text 2 of 28 layers; images 112-448 px", "&batchSize=1", 1, 1, 4, 2, 1, 95,
            true, false, Map.of()));
  }

  /**
   * Whether the Java backend records an ONNX graph on a model's first load (issue 20: {@code
   * cross-encoder}, {@code colbert}, {@code pylate} on their default runtime): the runner then gives it
   * a graph cache folder and measures that first load apart.
   */
  boolean recordsGraph() {
    return Set.of("cross-encoder", "colbert", "pylate").contains(type) && !javaOptions.contains("runtime=torch");
  }

  /** Layers {@link ModelStore} builds for a model folder (0 = all of the real model's; the smoke run: 1). */
  static int layers(String model) {
    return switch (model) {
      case "qwen3-reranker-0.6b-shape" -> 7;
      case "upr-t5-large-lm-adapt-shape", "mxbai-v2-base-shape" -> 6;
      case "gemma2-2b-llm", "monoqwen2-vl-2b-shape" -> 2;
      case MINICPM_MODEL -> 3;
      default -> 0;
    };
  }

  /** Vision blocks for the image model. */
  static int visionLayers(String model) {
    return model.equals("monoqwen2-vl-2b-shape") ? 4 : 0;
  }

  /** This row for the smoke run: one query, a few candidates, one pass. */
  Row smoke() {
    return new Row(id, type, model, peerModel, family, shape + " (SMOKE: tiny widths and 1 layer where seeded)",
        javaOptions, pythonBatch, 1, images ? 2 : 3, images ? 1 : 2, 1, estSeconds / 10, images, ttfrGoal, pythonExtras);
  }
}
