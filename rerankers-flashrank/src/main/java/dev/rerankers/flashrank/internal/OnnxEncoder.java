package dev.rerankers.flashrank.internal;

import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transformer encoder run by ONNX Runtime: its tokenizer, its session and the limits of its
 * {@code config.json}, opened together and closed together. {@link #run} pads a batch of
 * encodings, checks it against the limits before any native call, and runs it. Both scorers of this
 * module (cross-encoder and dense) are built on one.
 *
 * <p>Thread-safe: the tokenizer and the session serve concurrent calls.
 */
final class OnnxEncoder implements AutoCloseable {
  /** The backend name every ranker of this module reports (FlashRankProvider's NAME). */
  static final String BACKEND = "flashrank";

  private final HfTokenizer tokenizer;
  private final OnnxModel model;
  private final ModelConfig config;
  private final OnnxSessionSettings session;
  private final int maxLength;
  private final String label;

  /** One batch through the graph: the padded input and the output asked for. */
  record Pass(PaddedBatch input, OnnxModel.Output output) {}

  private OnnxEncoder(HfTokenizer tokenizer, OnnxModel model, ModelConfig config, OnnxSessionSettings session,
      int maxLength, String label) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.config = config;
    this.session = session;
    this.maxLength = maxLength;
    this.label = label;
  }

  /**
   * Opens the tokenizer of {@code source} (truncating at {@code maxLength}) and a session on
   * {@code onnx}; nothing stays open when either fails.
   */
  static OnnxEncoder open(ModelSource source, Path onnx, ModelConfig config, int maxLength,
      OnnxSessionSettings session, String label) {
    HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(maxLength).build();
    try {
      return new OnnxEncoder(tokenizer, OnnxModel.load(onnx, session, label), config, session, maxLength, label);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** The tokenizer settings of a model (either file may be absent). */
  static TokenizerConfig tokenizerConfig(ModelSource source) {
    return TokenizerConfig.read(
        source.optionalFile("tokenizer_config.json").orElse(null),
        source.optionalFile("special_tokens_map.json").orElse(null));
  }

  HfTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Pads {@code rows} on the right, checks them against the model's vocabulary, segment and
   * position limits, and runs them.
   *
   * @param outputName the output to return when the graph has it; else its first output
   * @throws dev.rerankers.InferenceException when a limit is exceeded or ONNX Runtime fails
   */
  Pass run(List<Encoding> rows, String outputName) {
    boolean types = model.takesTokenTypeIds();
    PaddedBatch batch = PaddedBatch.of(rows, tokenizer.padId(), types, false, 1);
    config.check(batch, types, label);
    return new Pass(batch, model.run(batch, outputName));
  }

  /** The details every ranker of this module shows in {@code RerankerInfo} (a mutable copy). */
  Map<String, String> details(int batchSize, boolean sortByLength) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("onnx", model.file().getFileName().toString());
    d.put("inputs", String.join(",", model.inputs()));
    d.put("maxLength", Integer.toString(maxLength));
    d.put("batchSize", batchSize + (sortByLength ? " (length-sorted)" : ""));
    d.put("runtime", "onnxruntime via DJL");
    if (session.intraOpThreads() > 0) {
      d.put("intraOpThreads", Integer.toString(session.intraOpThreads()));
    }
    d.put("optLevel", session.optLevel());
    return d;
  }

  /** Closes the session (waiting for running calls), then the tokenizer. Idempotent. */
  @Override
  public void close() {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }
}
