package dev.rerankers.flashrank.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.BatchedScorer;
import dev.rerankers.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX cross-encoder, for both {@code flashrank} and {@code onnx-cross-encoder}: each (query,
 * document) pair tokenized together ({@code [CLS] q [SEP] d [SEP]}, longest-first truncation), run
 * through the session in batches (pairs of several queries share them in {@code scoreAll}), the
 * logits turned into scores by a {@link ScoreRule}. Each query's usage reports its {@code tokens}.
 *
 * <p>Thread-safe: the tokenizer and the ONNX session are shared by concurrent calls.
 */
public final class OnnxCrossEncoderScorer extends BatchedScorer<Encoding> {
  private final OnnxEncoder encoder;
  private final ScoreRule rule;
  private final boolean sortByLength;

  /** Takes ownership of the encoder (closed with this scorer). */
  OnnxCrossEncoderScorer(RerankerInfo info, OnnxEncoder encoder, ScoreRule rule, int batchSize, boolean sortByLength) {
    super(info, batchSize, encoder);
    this.encoder = encoder;
    this.rule = rule;
    this.sortByLength = sortByLength;
  }

  @Override
  protected List<Encoding> encode(String query, List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(d.text());
    }
    return encoder.tokenizer().encodePairs(query, texts);
  }

  @Override
  protected int length(Encoding pair) {
    return pair.length();
  }

  @Override
  protected double[] scoreBatch(List<Encoding> batch) {
    return rule.scores(encoder.run(batch, "logits").output(), batch.size(), info().label());
  }

  @Override
  protected boolean sortsByLength() {
    return sortByLength;
  }

  @Override
  protected Usage usage(List<Encoding> encoded) {
    long tokens = 0;
    for (Encoding e : encoded) {
      tokens += e.length();
    }
    return Usage.of(Usage.TOKENS, tokens);
  }

  /** The rule in use. */
  public ScoreRule rule() {
    return rule;
  }
}
