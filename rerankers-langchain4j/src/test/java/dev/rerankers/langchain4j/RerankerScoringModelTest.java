package dev.rerankers.langchain4j;

import static dev.rerankers.langchain4j.CannedApis.COHERE_SCORES;
import static dev.rerankers.langchain4j.CannedApis.DOCS;
import static dev.rerankers.langchain4j.CannedApis.QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.rerankers.Reranker;
import dev.rerankers.Usage;
import dev.rerankers.api.AuthenticationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ScoringModel adapter over real rerankers-api rankers talking to a local MockWebServer. */
class RerankerScoringModelTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<TextSegment> SEGMENTS = DOCS.stream().map(TextSegment::from).toList();

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void should_return_cohere_scores_in_input_order_with_usage_in_metadata() throws Exception {
    server.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      ScoringModel model = RerankerScoringModel.of(reranker);

      Response<List<Double>> response = model.scoreAll(SEGMENTS, QUERY);

      // Cohere answers best first (3, 4, 0, 1, 2); the adapter puts the scores back in input order
      assertThat(response.content()).containsExactlyElementsOf(COHERE_SCORES);
      // Cohere bills search units, not tokens: no TokenUsage, the units are in the metadata
      assertThat(response.tokenUsage()).isNull();
      assertThat(response.metadata())
          .containsEntry(RerankerScoringModel.ANSWERED_BY, "cohere:rerank-v3.5")
          .containsEntry(RerankerScoringModel.USAGE, Map.of(Usage.SEARCH_UNITS, 1L, Usage.REQUESTS, 1L))
          .doesNotContainKey(RerankerScoringModel.SYNTHETIC_SCORES);
    }
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(MAPPER.readTree(request.getBody().utf8()))
        .isEqualTo(MAPPER.readTree(CannedApis.resource("cohere-request.json")));
  }

  @Test
  void should_pass_reported_tokens_through_as_token_usage() {
    server.enqueue(CannedApis.ok("jina-rerank-ok.json"));
    try (Reranker reranker = CannedApis.jina(server)) {
      Response<List<Double>> response = RerankerScoringModel.of(reranker).scoreAll(SEGMENTS, QUERY);

      assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(815);
      assertThat(response.tokenUsage().outputTokenCount()).isNull();
      assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(815);
      assertThat(response.metadata())
          .containsEntry(RerankerScoringModel.USAGE, Map.of(Usage.TOKENS, 815L, Usage.REQUESTS, 1L));
      assertThat(response.content().get(3)).isCloseTo(0.8783142566680908, within(1e-12));
      assertThat(response.content().get(2)).isCloseTo(0.0412785373628139, within(1e-12));
    }
  }

  @Test
  void should_score_one_segment_through_the_default_score_method() throws Exception {
    server.enqueue(CannedApis.json(200, "{\"results\":[{\"index\":0,\"relevance_score\":0.42}],"
        + "\"meta\":{\"billed_units\":{\"search_units\":1}}}"));
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      Response<Double> response = RerankerScoringModel.of(reranker).score(DOCS.get(3), QUERY);

      assertThat(response.content()).isEqualTo(0.42);
    }
    assertThat(MAPPER.readTree(server.takeRequest().getBody().utf8()).get("documents").get(0).asText())
        .isEqualTo(DOCS.get(3));
  }

  @Test
  void should_score_asynchronously_with_rank_async() throws Exception {
    server.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    server.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      RerankerScoringModel model = RerankerScoringModel.of(reranker);

      Response<List<Double>> plain = model.scoreAllAsync(SEGMENTS, QUERY).get(5, TimeUnit.SECONDS);
      Response<List<Double>> onExecutor = model.scoreAllAsync(SEGMENTS, QUERY, executor).get(5, TimeUnit.SECONDS);

      assertThat(plain.content()).containsExactlyElementsOf(COHERE_SCORES);
      assertThat(onExecutor.content()).containsExactlyElementsOf(COHERE_SCORES);
      assertThat(plain.metadata()).containsEntry(RerankerScoringModel.ANSWERED_BY, "cohere:rerank-v3.5");
    } finally {
      executor.shutdownNow();
    }
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void should_fail_the_future_with_the_typed_exception() {
    server.enqueue(CannedApis.json(401, "{\"message\":\"invalid api token\"}"));
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      assertThatThrownBy(() -> RerankerScoringModel.of(reranker).scoreAllAsync(SEGMENTS, QUERY).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("invalid api token");
    }
  }

  @Test
  void should_map_an_order_only_ranker_to_descending_synthetic_scores() throws Exception {
    // RankGPT's reply: passage [4] first, then [5], [1], [2], [3] (1-based, as in the prompt)
    server.enqueue(CannedApis.chatAnswer("[4] > [5] > [1] > [2] > [3]"));
    try (Reranker reranker = CannedApis.rankGpt(server)) {
      Response<List<Double>> response = RerankerScoringModel.of(reranker).scoreAll(SEGMENTS, QUERY);

      // input position 3 ranked 1st -> 1.0, position 4 2nd -> 1/2, position 0 3rd -> 1/3, ...
      assertThat(response.content()).containsExactly(1.0 / 3, 1.0 / 4, 1.0 / 5, 1.0, 1.0 / 2);
      assertThat(response.metadata()).containsEntry(RerankerScoringModel.SYNTHETIC_SCORES, true);
      assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(110);
    }
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void should_answer_an_empty_list_without_calling_the_ranker() {
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      RerankerScoringModel model = RerankerScoringModel.of(reranker);

      assertThat(model.scoreAll(List.of(), QUERY).content()).isEmpty();
      assertThat(model.scoreAllAsync(List.of(), QUERY).join().content()).isEmpty();
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void should_reject_bad_arguments_before_any_request() {
    try (Reranker reranker = CannedApis.cohere(server, "")) {
      RerankerScoringModel model = RerankerScoringModel.of(reranker);
      List<TextSegment> withNull = new java.util.ArrayList<>(SEGMENTS);
      withNull.set(2, null);

      assertThatThrownBy(() -> model.scoreAll(SEGMENTS, null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("query is null");
      assertThatThrownBy(() -> model.scoreAll(null, QUERY)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("segments is null");
      assertThatThrownBy(() -> model.scoreAllAsync(withNull, QUERY)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("segments[2] is null");
      assertThatThrownBy(() -> RerankerScoringModel.of(null)).isInstanceOf(NullPointerException.class);
      assertThat(model).hasToString("RerankerScoringModel[cohere:rerank-v3.5]");
    }
    assertThat(server.getRequestCount()).isZero();
  }
}
