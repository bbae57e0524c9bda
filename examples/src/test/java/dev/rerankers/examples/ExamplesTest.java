package dev.rerankers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runnable examples' logic, driven by the TEST-ONLY word-overlap provider (not a model) until
 * real backends are on the classpath.
 */
class ExamplesTest {

  @Test
  void rag_pipeline_retrieves_with_bm25_reranks_and_keeps_top_k() {
    try (RagPipelineExample.Retriever retriever = new RagPipelineExample.Retriever(RagPipelineExample.PASSAGES);
        Reranker ranker = Reranker.load("word-overlap:test")) {
      List<Document> candidates = retriever.retrieve("Who built the tower in Paris?", 5);
      // seven passages share a term with the query (built, tower, paris); BM25 keeps five, and never
      // the two that share none (Everest, Statue of Liberty)
      assertThat(candidates).hasSize(5);
      assertThat(candidates).extracting(Document::id).doesNotContain(3, 7);
      List<Result> top = RagPipelineExample.retrieveAndRerank(retriever, ranker, "Who built the tower in Paris?", 5, 2);
      assertThat(top).hasSize(2);
      assertThat(top.get(0).rank()).isEqualTo(1);
      assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());
      assertThat(RagPipelineExample.retrieveAndRerank(retriever, ranker, "zzz qqq", 5, 2)).isEmpty();
    }
  }

  @Test
  void the_local_ranker_answers_when_the_api_fails() {
    List<String> notes = new ArrayList<>();
    try (Reranker r = ApiWithLocalFallbackExample.build("always-fails:api", "word-overlap:local", notes::add)) {
      RankedResults res = r.rank("sourdough starter", List.of("a kettle", "feed the sourdough starter"));
      assertThat(res.answeredBy()).isEqualTo("word-overlap:local");
      assertThat(res.get(0).text()).isEqualTo("feed the sourdough starter");
      assertThat(notes).isEmpty();
    }
  }

  @Test
  void the_local_ranker_is_used_alone_when_the_api_cannot_be_created() {
    List<String> notes = new ArrayList<>();
    try (Reranker r = ApiWithLocalFallbackExample.build("lit5", "word-overlap:local", notes::add)) {
      assertThat(r.info().label()).isEqualTo("word-overlap:local");
      assertThat(notes).singleElement().asString().startsWith("lit5 is unavailable (");
    }
  }
}
