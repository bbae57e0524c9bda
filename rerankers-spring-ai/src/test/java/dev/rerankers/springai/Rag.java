package dev.rerankers.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;

/**
 * A Spring AI RAG pipeline for the tests: a real ChatClient with a real RetrievalAugmentationAdvisor
 * (and its default query augmenter). Only the ends are stand-ins: the retriever returns the five
 * documents as a vector store would (ids, metadata, similarity scores), and the chat model echoes
 * the augmented prompt it receives instead of calling an LLM.
 */
final class Rag {
  private Rag() {}

  /** The five documents in order, id "doc-i", metadata {source: "wiki-i"}, similarity 0.5 - i/100. */
  static final DocumentRetriever RETRIEVER = query -> {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < CannedApis.DOCS.size(); i++) {
      docs.add(Document.builder()
          .id("doc-" + i)
          .text(CannedApis.DOCS.get(i))
          .metadata(Map.of("source", "wiki-" + i))
          .score(0.5 - i / 100.0)
          .build());
    }
    return docs;
  };

  /** Answers with the text of the user message it was sent (the augmented prompt). */
  static final ChatModel ECHO = prompt ->
      new ChatResponse(List.of(new Generation(new AssistantMessage(prompt.getUserMessage().getText()))));

  /** Asks the question through a ChatClient whose RAG advisor runs the post-processor. */
  static ChatClientResponse ask(String question, DocumentPostProcessor postProcessor) {
    RetrievalAugmentationAdvisor advisor = RetrievalAugmentationAdvisor.builder()
        .documentRetriever(RETRIEVER)
        .documentPostProcessors(postProcessor)
        .build();
    return ChatClient.builder(ECHO).defaultAdvisors(advisor).build()
        .prompt().user(question).call().chatClientResponse();
  }

  /** The documents the advisor put into the prompt, as it reports them in the response context. */
  @SuppressWarnings("unchecked")
  static List<Document> documents(ChatClientResponse response) {
    return (List<Document>) response.context().get(RetrievalAugmentationAdvisor.DOCUMENT_CONTEXT);
  }

  /** The augmented prompt the model received. */
  static String prompt(ChatClientResponse response) {
    return response.chatResponse().getResult().getOutput().getText();
  }
}
