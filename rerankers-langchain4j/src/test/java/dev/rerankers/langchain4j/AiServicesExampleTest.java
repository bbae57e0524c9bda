package dev.rerankers.langchain4j;

import static dev.rerankers.langchain4j.CannedApis.DOCS;
import static dev.rerankers.langchain4j.CannedApis.QUERY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.rerankers.Reranker;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The wiring of docs/langchain4j.md's example, end to end: an AiServices assistant whose retrieval
 * augmentor reranks with a real rerankers-api Cohere ranker (against a MockWebServer). Only the ends
 * are stand-ins: the retriever returns five documents, and the chat model answers with the prompt it
 * received.
 */
class AiServicesExampleTest {

  interface Assistant {
    String chat(String question);
  }

  /** Answers with the text of the last user message: the prompt after retrieval augmentation. */
  private static final ChatModel ECHO = new ChatModel() {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      UserMessage last = (UserMessage) request.messages().get(request.messages().size() - 1);
      return ChatResponse.builder().aiMessage(AiMessage.from(last.singleText())).build();
    }
  };

  @Test
  void should_put_only_the_reranked_best_documents_into_the_prompt() throws Exception {
    try (MockWebServer cohere = new MockWebServer()) {
      cohere.start();
      cohere.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
      ContentRetriever retriever = query -> DOCS.stream().map(Content::from).toList();

      String prompt;
      try (Reranker reranker = CannedApis.cohere(cohere, "")) {
        RetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
            .contentRetriever(retriever)
            .contentAggregator(RerankingContentAggregators.of(reranker, 2))
            .build();
        Assistant assistant = AiServices.builder(Assistant.class)
            .chatModel(ECHO)
            .retrievalAugmentor(augmentor)
            .build();

        prompt = assistant.chat(QUERY);
      }

      assertThat(prompt).startsWith(QUERY);
      assertThat(prompt).contains(DOCS.get(3), DOCS.get(4));
      assertThat(prompt.indexOf(DOCS.get(3))).isLessThan(prompt.indexOf(DOCS.get(4)));
      for (int i : List.of(0, 1, 2)) {
        assertThat(prompt).doesNotContain(DOCS.get(i));
      }
      assertThat(cohere.getRequestCount()).isEqualTo(1);
    }
  }
}
