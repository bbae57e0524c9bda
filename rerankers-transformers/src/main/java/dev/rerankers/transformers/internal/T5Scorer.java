package dev.rerankers.transformers.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.T5Model;
import dev.rerankers.transformers.nn.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The T5 sequence-to-sequence ranker (Python's {@code T5Ranker}: MonoT5, InRanker, mT5 mMARCO,
 * ptT5): each document becomes one text, {@code "Query: {query} Document: {text} Relevant:"} by
 * default, tokenized with {@code </s>} appended and truncated at the end to the max length (512, as
 * Python, whatever the tokenizer's {@code model_max_length}; a long document therefore loses its
 * tail and the {@code " Relevant:"} suffix, exactly as in Python). The decoder runs one step from
 * {@code decoder_start_token_id}; the score is {@code P(true) = softmax(logit(false),
 * logit(true))[1]}, or the raw {@code logit(true)} with {@code returnLogits}. Batching, input order
 * and error context come from {@link BatchedScorer}; on CPU each batch runs as {@link CpuPasses}.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class T5Scorer extends BatchedScorer<Encoding> {
  private final String model;
  private final HfTokenizer tokenizer;
  private final T5Model t5;
  private final InputTemplate template;
  private final Linear head;
  private final boolean returnLogits;
  private final long passBytes;

  /** Takes ownership of the tokenizer and the model; builds the two-token head in the model's manager. */
  public T5Scorer(String model, HfTokenizer tokenizer, T5Model t5, InputTemplate template,
      PredictionTokens.Resolved tokens, boolean returnLogits, int batchSize) {
    super(info(model, tokenizer, t5, template, tokens, returnLogits, batchSize), batchSize, t5, tokenizer);
    this.model = model;
    this.tokenizer = tokenizer;
    this.t5 = t5;
    this.template = template;
    this.returnLogits = returnLogits;
    this.head = t5.lmHeadRows(tokens.falseId(), tokens.trueId());
    this.passBytes = CpuPasses.budgetBytes(t5.weights().placement());
  }

  private static RerankerInfo info(String model, HfTokenizer tokenizer, T5Model t5, InputTemplate template,
      PredictionTokens.Resolved tokens, boolean returnLogits, int batchSize) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("architecture", t5.architecture());
    details.put("format", "safetensors");
    details.put("maxLength", String.valueOf(tokenizer.maxLength().orElse(-1)));
    details.put("batchSize", String.valueOf(batchSize));
    details.put("tokenFalse", tokens.falseToken() + " (" + tokens.falseId() + ")");
    details.put("tokenTrue", tokens.trueToken() + " (" + tokens.trueId() + ")");
    details.put("tokens", tokens.source());
    details.put("inputsTemplate", template.toString());
    details.put("score", returnLogits ? "logit(true)" : "softmax(logit(false), logit(true))[true]");
    details.put("scaleDecoderOutputs", String.valueOf(t5.config().scaleDecoderOutputs()));
    Placement placement = t5.weights().placement();
    return new RerankerInfo("t5", model, "transformers", placement.deviceName(), placement.dtypeName(), details);
  }

  @Override
  protected List<Encoding> encode(String query, List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(template.format(query, d.text()));
    }
    return tokenizer.encodeBatch(texts);
  }

  @Override
  protected int length(Encoding encoded) {
    return encoded.length();
  }

  @Override
  protected double[] scoreBatch(List<Encoding> batch) {
    int[] lengths = new int[batch.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = batch.get(i).length();
    }
    double[] out = new double[batch.size()];
    int at = 0;
    // passes under the budget that pad little; each is padded to its own longest row
    for (int[] range : CpuPasses.byLength(lengths, t5::activationBytesPerRow, passBytes, CpuPasses.PASS_COST_TOKENS)) {
      List<Encoding> pass = batch.subList(range[0], range[1]);
      PaddedBatch padded = tokenizer.pad(pass);
      TokenIds.requireInVocabulary(padded.inputIds(), t5.config().vocabSize(), model);
      float[] logits = run(padded);
      for (int row = 0; row < pass.size(); row++) {
        double no = logits[2 * row];
        double yes = logits[2 * row + 1];
        out[at++] = returnLogits ? yes : 1 / (1 + Math.exp(no - yes));
      }
    }
    return out;
  }

  /** (false, true) logits at the first decoder step, [rows · 2]. */
  private float[] run(PaddedBatch b) {
    try (NDManager scope = t5.weights().manager().newSubManager()) {
      Shape shape = new Shape(b.size(), b.length());
      NDArray ids = scope.create(b.inputIds(), shape);
      NDArray mask = scope.create(b.attentionMask(), shape);
      long[] starts = new long[b.size()];
      Arrays.fill(starts, t5.config().decoderStartTokenId());
      NDArray start = scope.create(starts, new Shape(b.size(), 1));
      NDArray encoded = t5.encode(ids, mask);
      NDArray logits = head.forward(t5.decode(start, encoded, mask));
      return logits.toType(DataType.FLOAT32, false).toFloatArray();
    }
  }
}
