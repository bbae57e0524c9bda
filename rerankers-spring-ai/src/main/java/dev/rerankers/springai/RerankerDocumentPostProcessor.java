package dev.rerankers.springai;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;

/**
 * A Spring AI {@link DocumentPostProcessor} that reranks the retrieved documents for the query with
 * any {@link Reranker} (local or hosted, with or without {@link Reranker#withFallback fallback}) and
 * keeps the best {@code topK}. Add it to a {@code RetrievalAugmentationAdvisor}:
 *
 * <pre>{@code
 * Advisor rag = RetrievalAugmentationAdvisor.builder()
 *     .documentRetriever(VectorStoreDocumentRetriever.builder().vectorStore(store).topK(50).build())
 *     .documentPostProcessors(RerankerDocumentPostProcessor.builder(reranker).topK(5).build())
 *     .build();
 * }</pre>
 *
 * <p>Each returned document is the retrieved one (same id, text and metadata) with, added to its
 * metadata, {@value #DEFAULT_SCORE_KEY} (the ranker's score, a {@code Double}; the key can be
 * changed) and {@value #RANK_KEY} (1 for the best, an {@code Integer}); its {@link
 * Document#getScore() score} becomes the ranker's score, and a score it had before (a vector
 * store's similarity) moves to metadata {@value #RETRIEVAL_SCORE_KEY}. Documents come back best
 * first, ties in retrieval order.
 *
 * <p><b>Rankers that only order documents</b> (RankGPT, RankLLM: {@link RankedResults#hasScores()}
 * {@code false}) get synthetic scores from their ranks: rank {@code r} scores {@code 1.0 / r}
 * (1.0, 0.5, 0.333...). The order is the ranker's.
 *
 * <p>Only text documents can be reranked: a media-only document is refused with an {@link
 * IllegalArgumentException}. An empty list is returned as is, without calling the ranker.
 *
 * <p>The post-processor does not own the ranker (close it yourself, or let Spring do it for a bean).
 * It is immutable and thread-safe whenever the ranker is.
 */
public final class RerankerDocumentPostProcessor implements DocumentPostProcessor {

  /** The default metadata key for the reranking score. */
  public static final String DEFAULT_SCORE_KEY = "rerank_score";

  /** The metadata key for the rank after reranking (1 for the best). */
  public static final String RANK_KEY = "rerank_rank";

  /** The metadata key that keeps the score a document had before reranking, when it had one. */
  public static final String RETRIEVAL_SCORE_KEY = "retrieval_score";

  private final Reranker reranker;
  private final int topK;
  private final String scoreKey;

  private RerankerDocumentPostProcessor(Builder builder) {
    this.reranker = builder.reranker;
    this.topK = builder.topK;
    this.scoreKey = builder.scoreKey;
  }

  /** A post-processor that reranks with this ranker and keeps every document. */
  public static RerankerDocumentPostProcessor of(Reranker reranker) {
    return builder(reranker).build();
  }

  /** A builder for a post-processor over this ranker. */
  public static Builder builder(Reranker reranker) {
    return new Builder(reranker);
  }

  /**
   * Reranks the documents for {@code query.text()} and keeps the best {@code topK}.
   *
   * @throws IllegalArgumentException for a null query or list, a null element or a document
   *     without text
   * @throws dev.rerankers.RerankerException when the ranker fails
   */
  @Override
  public List<Document> process(Query query, List<Document> documents) {
    if (query == null) {
      throw new IllegalArgumentException("query is null");
    }
    if (documents == null) {
      throw new IllegalArgumentException("documents is null");
    }
    if (documents.isEmpty()) {
      return List.of();
    }
    List<dev.rerankers.Document> toRank = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      if (d == null) {
        throw new IllegalArgumentException("documents[" + i + "] is null");
      }
      if (d.getText() == null) {
        throw new IllegalArgumentException(
            "documents[" + i + "] (id " + d.getId() + ") has no text; only text documents can be reranked");
      }
      // position as id: retrieved documents may share ids (several retrievers), positions never do
      toRank.add(dev.rerankers.Document.of(i, d.getText()));
    }
    RankedResults ranked = reranker.rankDocuments(query.text(), toRank);
    List<Result> kept = ranked.topK(Math.min(topK, ranked.size()));
    List<Document> out = new ArrayList<>(kept.size());
    for (Result r : kept) {
      Document original = documents.get((Integer) r.id());
      double score = ranked.hasScores() ? r.score() : 1.0 / r.rank();
      out.add(rescored(original, score, r.rank()));
    }
    return out;
  }

  private Document rescored(Document original, double score, int rank) {
    Map<String, Object> metadata = new LinkedHashMap<>(original.getMetadata());
    if (original.getScore() != null) {
      metadata.put(RETRIEVAL_SCORE_KEY, original.getScore());
    }
    metadata.put(scoreKey, score);
    metadata.put(RANK_KEY, rank);
    Document copy =
        Document.builder().id(original.getId()).text(original.getText()).metadata(metadata).score(score).build();
    copy.setContentFormatter(original.getContentFormatter());
    return copy;
  }

  /** The ranker. */
  public Reranker reranker() {
    return reranker;
  }

  /** How many documents are kept ({@link Integer#MAX_VALUE}: all). */
  public int topK() {
    return topK;
  }

  /** The metadata key the score is written under. */
  public String scoreKey() {
    return scoreKey;
  }

  @Override
  public String toString() {
    return "RerankerDocumentPostProcessor[" + reranker.info().label()
        + (topK == Integer.MAX_VALUE ? "" : ", topK=" + topK) + ", scoreKey=" + scoreKey + "]";
  }

  /** Options for a {@link RerankerDocumentPostProcessor}; each setter validates its value. Not thread-safe. */
  public static final class Builder {
    private final Reranker reranker;
    private int topK = Integer.MAX_VALUE;
    private String scoreKey = DEFAULT_SCORE_KEY;

    private Builder(Reranker reranker) {
      this.reranker = Objects.requireNonNull(reranker, "reranker");
    }

    /** Keeps the best {@code topK} documents (default: all). */
    public Builder topK(int topK) {
      if (topK < 1) {
        throw new IllegalArgumentException("topK must be >= 1, got " + topK);
      }
      this.topK = topK;
      return this;
    }

    /** The metadata key for the score (default {@code "rerank_score"}). */
    public Builder scoreKey(String scoreKey) {
      if (scoreKey == null || scoreKey.isBlank()) {
        throw new IllegalArgumentException("scoreKey must not be blank, got '" + scoreKey + "'");
      }
      if (scoreKey.equals(RANK_KEY) || scoreKey.equals(RETRIEVAL_SCORE_KEY)) {
        throw new IllegalArgumentException("scoreKey must differ from '" + RANK_KEY + "' and '" + RETRIEVAL_SCORE_KEY + "'");
      }
      this.scoreKey = scoreKey;
      return this;
    }

    /** The post-processor. */
    public RerankerDocumentPostProcessor build() {
      return new RerankerDocumentPostProcessor(this);
    }
  }
}
