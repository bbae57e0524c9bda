package dev.rerankers.transformers.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.Batching;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.models.T5Model;
import dev.rerankers.transformers.nn.Linear;
import java.util.ArrayList;
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
 * logit(true))[1]}, or the raw {@code logit(true)} with {@code returnLogits}. Texts are sorted by
 * length before batching; scores come back in input order.
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class T5Scorer implements Scorer {
  private final String model;
  private final HfTokenizer tokenizer;
  private final T5Model t5;
  private final PromptTemplate template;
  private final PredictionTokens.Resolved tokens;
  private final Linear head;
  private final boolean returnLogits;
  private final int batchSize;
  private final RerankerInfo info;
  private final CloseGuard guard;
  private final long passBytes;

  /** Takes ownership of the tokenizer and the model; builds the two-token head in the model's manager. */
  public T5Scorer(String model, HfTokenizer tokenizer, T5Model t5, PromptTemplate template,
      PredictionTokens.Resolved tokens, boolean returnLogits, int batchSize) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.t5 = t5;
    this.template = template;
    this.tokens = tokens;
    this.returnLogits = returnLogits;
    this.batchSize = batchSize;
    this.head = t5.lmHeadRows(tokens.falseId(), tokens.trueId());
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
    var placement = t5.weights().placement();
    this.info = new RerankerInfo("t5", model, "transformers", placement.deviceName(), placement.dtypeName(), details);
    this.guard = new CloseGuard(info.label());
    this.passBytes = placement.passBudgetBytes();
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return guard.call(() -> Scores.of(scoreAll(query, documents)));
  }

  private double[] scoreAll(String query, List<Document> documents) {
    int n = documents.size();
    double[] out = new double[n];
    if (n == 0) {
      return out;
    }
    List<String> texts = new ArrayList<>(n);
    for (Document d : documents) {
      texts.add(template.format(query, d.text()));
    }
    List<Encoding> encodings = tokenizer.encodeBatch(texts);
    for (int[] batch : Batching.longestFirst(encodings, Encoding::length, batchSize)) {
      for (int[] rows : Batching.passes(batch, t5.activationBytesPerRow(encodings.get(batch[0]).length()), passBytes)) {
        scorePass(encodings, rows, out);
      }
    }
    return out;
  }

  private void scorePass(List<Encoding> encodings, int[] rows, double[] out) {
    PaddedBatch padded = tokenizer.pad(Batching.select(encodings, rows));
    Batches.checkIds(padded.inputIds(), t5.config().vocabSize(), model);
    float[] logits = run(padded);
    for (int row = 0; row < rows.length; row++) {
      double no = logits[2 * row];
      double yes = logits[2 * row + 1];
      out[rows[row]] = returnLogits ? yes : 1 / (1 + Math.exp(no - yes));
    }
  }

  /** (false, true) logits at the first decoder step, [rows · 2]. */
  private float[] run(PaddedBatch b) {
    try (NDManager scope = t5.weights().manager().newSubManager()) {
      Shape shape = new Shape(b.size(), b.length());
      NDArray ids = scope.create(b.inputIds(), shape);
      NDArray mask = scope.create(b.attentionMask(), shape);
      long[] starts = new long[b.size()];
      java.util.Arrays.fill(starts, t5.config().decoderStartTokenId());
      NDArray start = scope.create(starts, new Shape(b.size(), 1));
      NDArray encoded = t5.encode(ids, mask);
      NDArray logits = head.forward(t5.decode(start, encoded, mask));
      return logits.toType(DataType.FLOAT32, false).toFloatArray();
    } catch (RerankerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InferenceException(info.label() + " failed on a batch of " + b.size() + " texts of up to "
          + b.length() + " tokens: " + e.getMessage(), e);
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    guard.close(t5, tokenizer);
  }
}
