package dev.rerankers.server.internal;

import dev.rerankers.Document;
import dev.rerankers.RankRequest;
import dev.rerankers.RerankerInfo;

/**
 * A cheap token count for batch sizing, without the model's tokenizer: about 4 characters per
 * token (English WordPiece/BPE), plus 3 special tokens per pair, each pair capped at the model's
 * maximum length (it is truncated to that anyway). Only decides how many requests share a batch.
 */
final class TokenEstimate {
  static final int DEFAULT_CAP = 512;

  private TokenEstimate() {}

  /** The most tokens a pair can have for this model: its {@code maxLength} detail, else 512. */
  static int cap(RerankerInfo info) {
    String v = info.details().get("maxLength");
    if (v != null) {
      try {
        int n = Integer.parseInt(v.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // not a number: use the default
      }
    }
    return DEFAULT_CAP;
  }

  static int of(RankRequest request, int cap) {
    int q = request.query().length();
    long total = 0;
    for (Document d : request.documents()) {
      int chars = q + (d.text() == null ? 0 : d.text().length());
      total += Math.min(cap, chars / 4 + 3);
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }
}
