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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UPR, the Unsupervised Passage Reranker (Python's {@code UPRRanker}): how likely a T5 model finds
 * the query as a question about the document. The encoder reads {@code "{verbalizerHead} {doc}.
 * {verbalizer}"} ({@code "Passage: {doc}. Please write a question based on this passage."} by
 * default, truncated at the end to 512 tokens); the decoder is teacher-forced with the query's
 * tokens ({@code </s>} included, truncated to 128) shifted right behind {@code
 * decoder_start_token_id}. Score: the sum over the query's tokens of {@code log P(token | doc,
 * earlier tokens)}, as Python computes it (a negative number; higher is more relevant), or with
 * {@code logLikelihood=mean} that sum divided by the number of query tokens (the same ranking, since
 * every document is scored against the same query).
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class UprScorer implements Scorer {
  private final String model;
  private final HfTokenizer passages;
  private final HfTokenizer queries;
  private final T5Model t5;
  private final String verbalizerHead;
  private final String verbalizer;
  private final boolean mean;
  private final int batchSize;
  private final RerankerInfo info;
  private final CloseGuard guard;
  private final long passBytes;

  /**
   * Takes ownership of both tokenizers (the same tokenizer.json, truncating to the passage and
   * the query length) and of the model.
   */
  public UprScorer(String model, HfTokenizer passages, HfTokenizer queries, T5Model t5, String verbalizerHead,
      String verbalizer, boolean mean, int batchSize) {
    this.model = model;
    this.passages = passages;
    this.queries = queries;
    this.t5 = t5;
    this.verbalizerHead = verbalizerHead;
    this.verbalizer = verbalizer;
    this.mean = mean;
    this.batchSize = batchSize;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("architecture", t5.architecture());
    details.put("format", "safetensors");
    details.put("maxLength", String.valueOf(passages.maxLength().orElse(-1)));
    details.put("maxQueryLength", String.valueOf(queries.maxLength().orElse(-1)));
    details.put("batchSize", String.valueOf(batchSize));
    details.put("input", verbalizerHead + " {doc}. " + verbalizer);
    details.put("score", mean ? "mean log P(query token)" : "sum log P(query token)");
    var placement = t5.weights().placement();
    this.info = new RerankerInfo("upr", model, "transformers", placement.deviceName(), placement.dtypeName(), details);
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
    long[] labels = queries.encode(query).ids();
    int vocab = t5.config().vocabSize();
    Batches.checkIds(labels, vocab, model);
    List<String> texts = new ArrayList<>(n);
    for (Document d : documents) {
      texts.add(verbalizerHead + " " + d.text() + ". " + verbalizer);
    }
    List<Encoding> encodings = passages.encodeBatch(texts);
    // per row, the decoder's vocabulary logits [Lq, vocab] can outgrow the encoder's intermediates
    long logitsBytes = 4L * labels.length * vocab;
    for (int[] batch : Batching.longestFirst(encodings, Encoding::length, batchSize)) {
      long perRow = Math.max(t5.activationBytesPerRow(encodings.get(batch[0]).length()), logitsBytes);
      for (int[] rows : Batching.passes(batch, perRow, passBytes)) {
        PaddedBatch padded = passages.pad(Batching.select(encodings, rows));
        Batches.checkIds(padded.inputIds(), vocab, model);
        float[] sums = run(padded, labels);
        for (int row = 0; row < rows.length; row++) {
          double s = sums[row];
          out[rows[row]] = mean ? s / labels.length : s;
        }
      }
    }
    return out;
  }

  /** Per row, the summed log-probabilities of the labels, teacher-forced. */
  private float[] run(PaddedBatch b, long[] labels) {
    int rows = b.size();
    int len = labels.length;
    long[] decoderIds = new long[rows * len];
    long[] labelIds = new long[rows * len];
    for (int r = 0; r < rows; r++) {
      decoderIds[r * len] = t5.config().decoderStartTokenId();
      System.arraycopy(labels, 0, decoderIds, r * len + 1, len - 1);
      System.arraycopy(labels, 0, labelIds, r * len, len);
    }
    try (NDManager scope = t5.weights().manager().newSubManager()) {
      Shape shape = new Shape(rows, b.length());
      NDArray ids = scope.create(b.inputIds(), shape);
      NDArray mask = scope.create(b.attentionMask(), shape);
      NDArray decoder = scope.create(decoderIds, new Shape(rows, len));
      NDArray logits = t5.logits(decoder, t5.encode(ids, mask), mask).toType(DataType.FLOAT32, false);
      NDArray picked = logits.logSoftmax(-1).gather(scope.create(labelIds, new Shape(rows, len, 1)), 2);
      return picked.sum(new int[] {1, 2}).toFloatArray();
    } catch (RerankerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InferenceException(info.label() + " failed on a batch of " + rows + " passages of up to "
          + b.length() + " tokens and a query of " + len + " tokens: " + e.getMessage(), e);
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    guard.close(t5, passages, queries);
  }
}
