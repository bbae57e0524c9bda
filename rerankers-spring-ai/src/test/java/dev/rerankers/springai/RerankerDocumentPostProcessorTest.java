package dev.rerankers.springai;

import static dev.rerankers.springai.CannedApis.DOCS;
import static dev.rerankers.springai.CannedApis.QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Reranker;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.util.MimeTypeUtils;

/** The post-processor inside Spring AI's RetrievalAugmentationAdvisor, over real rerankers-api rankers and MockWebServers. */
class RerankerDocumentPostProcessorTest {
  private MockWebServer primary;
  private MockWebServer backup;

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
  void should_rerank_keep_top_k_and_keep_metadata_inside_the_rag_advisor() throws Exception {
    primary.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      ChatClientResponse response = Rag.ask(QUERY, RerankerDocumentPostProcessor.builder(reranker).topK(3).build());

      List<Document> docs = Rag.documents(response);
      assertThat(docs).extracting(Document::getId).containsExactly("doc-3", "doc-4", "doc-0");
      assertThat(docs).extracting(Document::getScore).containsExactly(0.999071, 0.7867867, 0.32713068);
      assertThat(docs.get(0).getText()).isEqualTo(DOCS.get(3));
      assertThat(docs.get(0).getMetadata())
          .containsEntry("source", "wiki-3")
          .containsEntry(RerankerDocumentPostProcessor.DEFAULT_SCORE_KEY, 0.999071)
          .containsEntry(RerankerDocumentPostProcessor.RANK_KEY, 1)
          .containsEntry(RerankerDocumentPostProcessor.RETRIEVAL_SCORE_KEY, 0.47);
      assertThat(docs.get(2).getMetadata()).containsEntry(RerankerDocumentPostProcessor.RANK_KEY, 3);

      // the advisor's query augmenter wrote the kept documents into the prompt, best first
      String prompt = Rag.prompt(response);
      assertThat(prompt).contains(QUERY);
      assertThat(prompt.indexOf(DOCS.get(3))).isLessThan(prompt.indexOf(DOCS.get(4)));
      assertThat(prompt.indexOf(DOCS.get(4))).isLessThan(prompt.indexOf(DOCS.get(0)));
      assertThat(prompt).doesNotContain(DOCS.get(1)).doesNotContain(DOCS.get(2));
    }
    // the ranker was sent all five retrieved texts, in retrieval order, with the user's question
    String body = primary.takeRequest().getBody().utf8();
    assertThat(body).contains("\"query\":\"" + QUERY + "\"");
    for (int i = 0; i < DOCS.size() - 1; i++) {
      assertThat(body.indexOf(DOCS.get(i))).isLessThan(body.indexOf(DOCS.get(i + 1)));
    }
  }

  @Test
  void should_answer_from_the_fallback_when_the_primary_api_fails() {
    primary.enqueue(CannedApis.json(503, "{\"message\":\"overloaded\"}"));
    backup.enqueue(CannedApis.ok("tei-rerank-ok.json"));
    try (Reranker reranker = Reranker.withFallback(CannedApis.cohere(primary, "&maxRetries=0"), CannedApis.tei(backup))) {
      ChatClientResponse response = Rag.ask(QUERY, RerankerDocumentPostProcessor.builder(reranker).topK(2).build());

      assertThat(Rag.documents(response)).extracting(Document::getId).containsExactly("doc-3", "doc-4");
      assertThat(Rag.documents(response)).extracting(Document::getScore).containsExactly(0.99870145, 0.22186935);
    }
    assertThat(primary.getRequestCount()).isEqualTo(1);
    assertThat(backup.getRequestCount()).isEqualTo(1);
  }

  @Test
  void should_give_an_order_only_ranker_synthetic_scores_by_rank() {
    primary.enqueue(CannedApis.chatAnswer("[4] > [5] > [1] > [2] > [3]"));
    try (Reranker reranker = CannedApis.rankGpt(primary)) {
      List<Document> docs = RerankerDocumentPostProcessor.builder(reranker).scoreKey("relevance").build()
          .process(new Query(QUERY), Rag.RETRIEVER.retrieve(new Query(QUERY)));

      assertThat(docs).extracting(Document::getId).containsExactly("doc-3", "doc-4", "doc-0", "doc-1", "doc-2");
      assertThat(docs).extracting(d -> d.getMetadata().get("relevance"))
          .containsExactly(1.0, 1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5);
      assertThat(docs.get(4).getMetadata()).containsEntry(RerankerDocumentPostProcessor.RANK_KEY, 5)
          .doesNotContainKey(RerankerDocumentPostProcessor.DEFAULT_SCORE_KEY);
    }
  }

  @Test
  void should_keep_documents_that_share_an_id_apart() {
    primary.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      // two retrievers can return documents with the same id; positions tell them apart
      List<Document> retrieved = DOCS.stream().map(t -> Document.builder().id("same").text(t).build()).toList();

      List<Document> docs = RerankerDocumentPostProcessor.of(reranker).process(new Query(QUERY), retrieved);

      assertThat(docs).extracting(Document::getText)
          .containsExactly(DOCS.get(3), DOCS.get(4), DOCS.get(0), DOCS.get(1), DOCS.get(2));
      assertThat(docs.get(0).getMetadata()).doesNotContainKey(RerankerDocumentPostProcessor.RETRIEVAL_SCORE_KEY);
    }
  }

  @Test
  void should_refuse_bad_input_before_any_request() {
    try (Reranker reranker = CannedApis.cohere(primary, "")) {
      RerankerDocumentPostProcessor processor = RerankerDocumentPostProcessor.builder(reranker).topK(2).build();
      Document image = new Document(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new byte[] {1, 2}).id("img").build(),
          Map.of());

      assertThat(processor.process(new Query(QUERY), List.of())).isEmpty();
      assertThatThrownBy(() -> processor.process(new Query(QUERY), List.of(Document.builder().text("a").build(), image)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("documents[1]")
          .hasMessageContaining("only text documents can be reranked");
      assertThatThrownBy(() -> processor.process(null, List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> RerankerDocumentPostProcessor.builder(reranker).topK(0))
          .hasMessage("topK must be >= 1, got 0");
      assertThatThrownBy(() -> RerankerDocumentPostProcessor.builder(reranker).scoreKey(" "))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> RerankerDocumentPostProcessor.builder(reranker).scoreKey(RerankerDocumentPostProcessor.RANK_KEY))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(processor).hasToString("RerankerDocumentPostProcessor[cohere:rerank-v3.5, topK=2, scoreKey=rerank_score]");
    }
    assertThat(primary.getRequestCount()).isZero();
  }
}
