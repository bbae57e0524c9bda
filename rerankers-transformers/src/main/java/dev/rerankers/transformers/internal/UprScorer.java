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
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
 * every document is scored against the same query). Batching, input order and error context come
 * from {@link BatchedScorer}; passages of several queries share a batch and run as one pass per
 * query, split further under the CPU budget ({@link CpuPasses}).
 *
 * <p>Thread-safe: concurrent calls share the model; each batch's native memory is freed when the
 * batch ends. {@link #close()} waits for calls in progress.
 */
public final class UprScorer extends BatchedScorer<UprScorer.Passage> {
  private final String model;
  private final HfTokenizer passages;
  private final HfTokenizer queries;
  private final T5Model t5;
  private final String verbalizerHead;
  private final String verbalizer;
  private final boolean mean;
  private final long passBytes;

  /**
   * One encoded passage and the query it is scored against.
   *
   * @param passage the passage's encoder input
   * @param query the query's token ids, the decoder's labels (shared by the query's passages)
   */
  record Passage(Encoding passage, long[] query) {}

  /**
   * Takes ownership of both tokenizers (the same tokenizer.json, truncating to the passage and
   * the query length) and of the model.
   */
  public UprScorer(String model, HfTokenizer passages, HfTokenizer queries, T5Model t5, String verbalizerHead,
      String verbalizer, boolean mean, int batchSize) {
    super(info(model, passages, queries, t5, verbalizerHead, verbalizer, mean, batchSize), batchSize, t5, passages, queries);
    this.model = model;
    this.passages = passages;
    this.queries = queries;
    this.t5 = t5;
    this.verbalizerHead = verbalizerHead;
    this.verbalizer = verbalizer;
    this.mean = mean;
    this.passBytes = CpuPasses.budgetBytes(t5.weights().placement());
  }

  private static RerankerInfo info(String model, HfTokenizer passages, HfTokenizer queries, T5Model t5,
      String verbalizerHead, String verbalizer, boolean mean, int batchSize) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("architecture", t5.architecture());
    details.put("format", "safetensors");
    details.put("maxLength", String.valueOf(passages.maxLength().orElse(-1)));
    details.put("maxQueryLength", String.valueOf(queries.maxLength().orElse(-1)));
    details.put("batchSize", String.valueOf(batchSize));
    details.put("input", verbalizerHead + " {doc}. " + verbalizer);
    details.put("score", mean ? "mean log P(query token)" : "sum log P(query token)");
    Placement placement = t5.weights().placement();
    return new RerankerInfo("upr", model, "transformers", placement.deviceName(), placement.dtypeName(), details);
  }

  @Override
  protected List<Passage> encode(String query, List<Document> documents) {
    long[] labels = queries.encode(query).ids();
    TokenIds.requireInVocabulary(labels, t5.config().vocabSize(), model);
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(verbalizerHead + " " + d.text() + ". " + verbalizer);
    }
    List<Passage> out = new ArrayList<>(documents.size());
    for (Encoding e : passages.encodeBatch(texts)) {
      out.add(new Passage(e, labels));
    }
    return out;
  }

  @Override
  protected int length(Passage encoded) {
    return encoded.passage().length();
  }

  @Override
  protected double[] scoreBatch(List<Passage> batch) {
    // the decoder is teacher-forced with one query per forward pass: group the batch by query
    Map<long[], List<Integer>> byQuery = new IdentityHashMap<>();
    List<long[]> order = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      long[] q = batch.get(i).query();
      byQuery.computeIfAbsent(q, k -> {
        order.add(k);
        return new ArrayList<>();
      }).add(i);
    }
    int vocab = t5.config().vocabSize();
    double[] out = new double[batch.size()];
    for (long[] labels : order) {
      List<Integer> rows = byQuery.get(labels);
      int longest = 0;
      for (int r : rows) {
        longest = Math.max(longest, batch.get(r).passage().length());
      }
      // per row, the decoder's vocabulary logits [Lq, vocab] can outgrow the encoder's intermediates
      long perRow = Math.max(t5.activationBytesPerRow(longest), 4L * labels.length * vocab);
      for (List<Integer> pass : CpuPasses.passes(rows, perRow, passBytes)) {
        List<Encoding> encodings = new ArrayList<>(pass.size());
        for (int r : pass) {
          encodings.add(batch.get(r).passage());
        }
        PaddedBatch padded = passages.pad(encodings);
        TokenIds.requireInVocabulary(padded.inputIds(), vocab, model);
        float[] sums = run(padded, labels);
        for (int k = 0; k < pass.size(); k++) {
          double s = sums[k];
          out[pass.get(k)] = mean ? s / labels.length : s;
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
    }
  }
}
