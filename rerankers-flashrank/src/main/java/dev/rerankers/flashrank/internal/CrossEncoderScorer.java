package dev.rerankers.flashrank.internal;

import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Batching;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.Encoding;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An ONNX cross-encoder: each (query, document) pair tokenized together ({@code [CLS] q [SEP] d
 * [SEP]}, longest-first truncation), run through the session in batches, the logits turned into
 * scores by a {@link ScoreRule}. Serves both {@code flashrank} and {@code onnx-cross-encoder}.
 *
 * <p>Thread-safe: the tokenizer and the ONNX session are shared by concurrent calls.
 */
public final class CrossEncoderScorer implements Scorer {
  private final RerankerInfo info;
  private final HfTokenizer tokenizer;
  private final OnnxModel model;
  private final ModelConfig config;
  private final ScoreRule rule;
  private final int batchSize;
  private final boolean sortByLength;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Takes ownership of the tokenizer and the model (closed with this scorer). */
  public CrossEncoderScorer(
      RerankerInfo info,
      HfTokenizer tokenizer,
      OnnxModel model,
      ModelConfig config,
      ScoreRule rule,
      int batchSize,
      boolean sortByLength) {
    this.info = info;
    this.tokenizer = tokenizer;
    this.model = model;
    this.config = config;
    this.rule = rule;
    this.batchSize = batchSize;
    this.sortByLength = sortByLength;
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(d.text());
    }
    List<Encoding> pairs = tokenizer.encodePairs(query, texts);
    int[] lengths = new int[pairs.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = pairs.get(i).length();
    }
    double[] scores = new double[pairs.size()];
    long tokens = 0;
    for (int[] rows : Batching.plan(lengths, batchSize, sortByLength)) {
      TokenBatch batch = TokenBatch.of(pairs, rows, tokenizer.padId());
      config.check(batch, model.takesTokenTypeIds(), info.label());
      OnnxModel.Output out = model.run(batch, "logits");
      int labels = labels(out, rows.length);
      for (int r = 0; r < rows.length; r++) {
        scores[rows[r]] = rule.score(out.data(), r, labels);
      }
      tokens += batch.tokenCount();
    }
    return Scores.of(scores).withUsage(Usage.of(Usage.TOKENS, tokens));
  }

  private int labels(OnnxModel.Output out, int rows) {
    long[] shape = out.shape();
    boolean ok = shape.length >= 1 && shape[0] == rows && (shape.length == 1 || shape.length == 2);
    if (!ok || out.data().length % rows != 0) {
      throw new InferenceException(info.label() + ": output " + out.name() + " has shape "
          + java.util.Arrays.toString(shape) + "; expected [" + rows + ", 1] or [" + rows + ", 2] logits");
    }
    return out.data().length / rows;
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        model.close();
      } finally {
        tokenizer.close();
      }
    }
  }

  /** The rule in use. */
  public ScoreRule rule() {
    return rule;
  }
}
