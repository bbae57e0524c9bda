package dev.rerankers.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Any {@link Reranker} (local or hosted, with or without {@link Reranker#withFallback fallback}) as
 * a LangChain4j {@link ScoringModel}, so it drops into a {@code ReRankingContentAggregator} (see
 * {@link RerankingContentAggregators}) or anything else that takes a scoring model.
 *
 * <pre>{@code
 * Reranker reranker = Reranker.load("cohere:rerank-v3.5");
 * ScoringModel scoring = RerankerScoringModel.of(reranker);
 * List<Double> scores = scoring.scoreAll(segments, "my question").content();   // input order
 * }</pre>
 *
 * <p><b>Scores</b> come back in the order of the segments given, one per segment, as the ranker
 * scored them (raw logits for cross-encoders, probabilities for hosted APIs, ...: their scale is the
 * backend's). A hosted API asked for only its top N ({@code topN} option) scores the others {@code
 * -Infinity}.
 *
 * <p><b>Rankers that only order documents</b> (RankGPT, RankLLM: {@link RankedResults#hasScores()}
 * {@code false}) get <em>synthetic</em> scores from their ranks: the document ranked {@code r}
 * (1-based) scores {@code 1.0 / r}, so the best scores 1.0, the second 0.5, the third 0.333... The
 * order is the ranker's; a {@code minScore} of {@code 1.0 / k} keeps the top {@code k}. Such
 * responses carry {@link #SYNTHETIC_SCORES}{@code = true} in their metadata.
 *
 * <p><b>Usage</b>: when the backend reports tokens ({@link Usage#TOKENS}: Jina, Voyage, Mixedbread,
 * Isaacus, RankGPT), they become the response's {@link TokenUsage} input tokens (RankGPT's count is
 * the chat call's total). Every unit the backend reports (Cohere's search units, Pinecone's rerank
 * units, requests) is also in the response metadata under {@link #USAGE}, and {@link #ANSWERED_BY}
 * names the ranker that answered (the fallback's name when it did). Local models report no usage:
 * the token usage is then {@code null}.
 *
 * <p>This adapter does not own the ranker: closing the ranker is the caller's job. It keeps no
 * state of its own, so it is thread-safe whenever the ranker is (all of this project's rankers are
 * unless their documentation says otherwise).
 */
public final class RerankerScoringModel implements ScoringModel {

  /** Response metadata key: the ranker that answered ({@link RankedResults#answeredBy()}), a String. */
  public static final String ANSWERED_BY = "answeredBy";

  /**
   * Response metadata key: every usage unit the backend reported, a {@code Map<String, Long>}
   * ({@code tokens}, {@code search_units}, {@code rerank_units}, {@code requests}, ...). Absent when
   * nothing was reported.
   */
  public static final String USAGE = "usage";

  /**
   * Response metadata key, present ({@code true}) only when the ranker gave no scores and the
   * scores are {@code 1.0 / rank}.
   */
  public static final String SYNTHETIC_SCORES = "syntheticScores";

  private final Reranker reranker;

  private RerankerScoringModel(Reranker reranker) {
    this.reranker = reranker;
  }

  /**
   * Wraps a ranker. The ranker stays the caller's to close.
   *
   * @throws NullPointerException when {@code reranker} is null
   */
  public static RerankerScoringModel of(Reranker reranker) {
    return new RerankerScoringModel(Objects.requireNonNull(reranker, "reranker"));
  }

  /** The wrapped ranker. */
  public Reranker reranker() {
    return reranker;
  }

  /**
   * Scores every segment against the query with {@link Reranker#rankDocuments}.
   *
   * @return one score per segment, in the segments' order
   * @throws IllegalArgumentException for a null query, list or segment
   * @throws dev.rerankers.RerankerException when the ranker fails
   */
  @Override
  public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
    List<Document> documents = toDocuments(segments, query);
    if (documents.isEmpty()) {
      return Response.from(List.of());
    }
    return toResponse(reranker.rankDocuments(query, documents), documents.size());
  }

  /**
   * Like {@link #scoreAll} without blocking the caller: backed by {@link Reranker#rankAsync(String,
   * List)} (hosted APIs make a non-blocking HTTP call; local models run on the ranker's own
   * executor). LangChain4j 1.19's {@code ScoringModel} has no async method, so this one is the
   * adapter's own.
   *
   * @return a future of one score per segment, in the segments' order; it fails with the ranker's
   *     {@link dev.rerankers.RerankerException} (wrapped in a {@link
   *     java.util.concurrent.CompletionException} by {@code join()})
   * @throws IllegalArgumentException at once (not through the future) for a null query, list or
   *     segment
   */
  public CompletableFuture<Response<List<Double>>> scoreAllAsync(List<TextSegment> segments, String query) {
    List<Document> documents = toDocuments(segments, query);
    if (documents.isEmpty()) {
      return CompletableFuture.completedFuture(Response.from(List.of()));
    }
    return reranker.rankAsync(query, documents).thenApply(r -> toResponse(r, documents.size()));
  }

  /**
   * Like {@link #scoreAllAsync(List, String)}, running any blocking work on the given executor
   * ({@link Reranker#rankAsync(String, List, Executor)}).
   */
  public CompletableFuture<Response<List<Double>>> scoreAllAsync(
      List<TextSegment> segments, String query, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    List<Document> documents = toDocuments(segments, query);
    if (documents.isEmpty()) {
      return CompletableFuture.completedFuture(Response.from(List.of()));
    }
    return reranker.rankAsync(query, documents, executor).thenApply(r -> toResponse(r, documents.size()));
  }

  /** Segment {@code i} becomes a text document with id {@code i}, so results map back by id. */
  private static List<Document> toDocuments(List<TextSegment> segments, String query) {
    if (query == null) {
      throw new IllegalArgumentException("query is null");
    }
    if (segments == null) {
      throw new IllegalArgumentException("segments is null");
    }
    List<Document> documents = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      TextSegment segment = segments.get(i);
      if (segment == null) {
        throw new IllegalArgumentException("segments[" + i + "] is null");
      }
      documents.add(Document.of(i, segment.text()));
    }
    return documents;
  }

  private static Response<List<Double>> toResponse(RankedResults ranked, int count) {
    double[] scores = new double[count];
    boolean[] seen = new boolean[count];
    for (Result r : ranked) {
      int index = (Integer) r.id();
      scores[index] = ranked.hasScores() ? r.score() : 1.0 / r.rank();
      seen[index] = true;
    }
    for (int i = 0; i < count; i++) {
      if (!seen[i]) {
        // the core facade guarantees every document comes back; this guards a broken backend
        throw new IllegalStateException(
            ranked.answeredBy() + " returned no result for segment " + i + " of " + count);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (!ranked.answeredBy().isEmpty()) {
      metadata.put(ANSWERED_BY, ranked.answeredBy());
    }
    if (!ranked.usage().isEmpty()) {
      metadata.put(USAGE, ranked.usage().units());
    }
    if (!ranked.hasScores()) {
      metadata.put(SYNTHETIC_SCORES, Boolean.TRUE);
    }
    return Response.from(
        Arrays.stream(scores).boxed().toList(), tokenUsage(ranked.usage()), null, metadata);
  }

  /** Reported tokens as input tokens; {@code null} when the backend reports none. */
  static TokenUsage tokenUsage(Usage usage) {
    long tokens = usage.get(Usage.TOKENS);
    if (tokens <= 0) {
      return null;
    }
    return new TokenUsage((int) Math.min(tokens, Integer.MAX_VALUE));
  }

  @Override
  public String toString() {
    return "RerankerScoringModel[" + reranker.info().label() + "]";
  }
}
