package dev.rerankers.langchain4j;

import static dev.rerankers.langchain4j.CannedApis.DOCS;
import static dev.rerankers.langchain4j.CannedApis.QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.rerankers.Reranker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's own RAG objects (ReRankingContentAggregator, DefaultRetrievalAugmentor with its
 * default query router and content injector) running on our adapter, with real rerankers-api
 * rankers against local MockWebServers.
 */
class RerankingContentAggregatorsTest {
  private MockWebServer primary;
  private MockWebServer backup;

  /** A retriever standing in for a vector store: the five documents, each with a source in its metadata. */
  private static final ContentRetriever RETRIEVER = query -> {
    List<Content> contents = new ArrayList<>();
    for (int i = 0; i < DOCS.size(); i++) {
      contents.add(Content.from(TextSegment.from(DOCS.get(i), Metadata.from("source", "doc-" + i))));
    }
    return contents;
  };

  @BeforeEach
  void start() throws Exception {
    primary = new MockWebServer();
    primary.start();
    backup = new MockWebServer();
    backup.start();
  }

  @AfterEach
  void stop() {
    primary.close();
    backup.close();
  }

  @Test
  void should_rerank_and_keep_the_best_contents_in_a_retrieval_augmentor() {
    primary.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      RetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
          .contentRetriever(RETRIEVER)
          .contentAggregator(RerankingContentAggregators.of(reranker, 3))
          .build();

      UserMessage question = UserMessage.from(QUERY);
      AugmentationResult result = augmentor.augment(new AugmentationRequest(
          question, dev.langchain4j.rag.query.Metadata.from(question, "chat-1", List.of())));

      List<Content> contents = result.contents();
      assertThat(contents).extracting(c -> c.textSegment().metadata().getString("source"))
          .containsExactly("doc-3", "doc-4", "doc-0");
      assertThat(contents).extracting(c -> c.metadata().get(ContentMetadata.RERANKED_SCORE))
          .containsExactly(0.999071, 0.7867867, 0.32713068);
      // the default content injector put the reranked texts into the user message, best first
      String prompt = ((UserMessage) result.chatMessage()).singleText();
      assertThat(prompt).startsWith(QUERY);
      assertThat(prompt.indexOf(DOCS.get(3))).isLessThan(prompt.indexOf(DOCS.get(4)));
      assertThat(prompt.indexOf(DOCS.get(4))).isLessThan(prompt.indexOf(DOCS.get(0)));
      assertThat(prompt).doesNotContain(DOCS.get(1)).doesNotContain(DOCS.get(2));
    }
    assertThat(primary.getRequestCount()).isEqualTo(1);
  }

  @Test
  void should_apply_min_score_and_a_query_selector_from_the_builder() {
    primary.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      Query original = Query.from(QUERY);
      Query expanded = Query.from("capital city of the USA");
      ReRankingContentAggregator aggregator = RerankingContentAggregators.builder(reranker)
          .querySelector(queries -> original)
          .minScore(0.5)
          .build();
      // two queries (as after query expansion), each with the same retriever's contents
      Map<Query, Collection<List<Content>>> retrieved = new java.util.LinkedHashMap<>();
      retrieved.put(original, List.of(RETRIEVER.retrieve(original)));
      retrieved.put(expanded, List.of(RETRIEVER.retrieve(expanded)));

      List<Content> contents = aggregator.aggregate(retrieved);

      assertThat(contents).extracting(c -> c.textSegment().text()).containsExactly(DOCS.get(3), DOCS.get(4));
    }
  }

  @Test
  void should_answer_from_the_fallback_when_the_primary_api_fails() {
    primary.enqueue(CannedApis.json(503, "{\"message\":\"overloaded\"}"));
    backup.enqueue(CannedApis.ok("tei-rerank-ok.json"));
    try (Reranker reranker = Reranker.withFallback(
        CannedApis.cohere(primary, "&maxRetries=0"), CannedApis.tei(backup))) {
      ReRankingContentAggregator aggregator = RerankingContentAggregators.of(reranker, 2);

      List<Content> contents = aggregator.aggregate(
          Map.of(Query.from(QUERY), List.of(RETRIEVER.retrieve(Query.from(QUERY)))));

      assertThat(contents).extracting(c -> c.textSegment().text()).containsExactly(DOCS.get(3), DOCS.get(4));
      assertThat(contents).extracting(c -> c.metadata().get(ContentMetadata.RERANKED_SCORE))
          .containsExactly(0.99870145, 0.22186935);
    }
    assertThat(primary.getRequestCount()).isEqualTo(1);
    assertThat(backup.getRequestCount()).isEqualTo(1);
  }

  @Test
  void should_report_the_fallback_as_the_answering_ranker() {
    primary.enqueue(CannedApis.json(503, "{\"message\":\"overloaded\"}"));
    backup.enqueue(CannedApis.ok("tei-rerank-ok.json"));
    try (Reranker reranker = Reranker.withFallback(
        CannedApis.cohere(primary, "&maxRetries=0"), CannedApis.tei(backup))) {
      var response = RerankerScoringModel.of(reranker)
          .scoreAllAsync(DOCS.stream().map(TextSegment::from).toList(), QUERY)
          .join();

      assertThat(response.content()).containsExactlyElementsOf(CannedApis.TEI_SCORES);
      assertThat(response.metadata())
          .containsEntry(RerankerScoringModel.ANSWERED_BY, "text-embeddings-inference:BAAI/bge-reranker-base");
    }
  }

  @Test
  void should_reject_a_non_positive_max_results() {
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      assertThatThrownBy(() -> RerankingContentAggregators.of(reranker, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxResults must be >= 1, got 0");
    }
  }
}
