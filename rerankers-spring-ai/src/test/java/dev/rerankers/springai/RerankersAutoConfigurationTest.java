package dev.rerankers.springai;

import static dev.rerankers.springai.CannedApis.QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.Reranker;
import dev.rerankers.api.ServerException;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.document.Document;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in Spring Boot's ApplicationContextRunner, building a real rerankers-api ranker. */
class RerankersAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RerankersAutoConfiguration.class));

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

  private String[] cohereProperties() {
    return new String[] {
      "rerankers.spec=" + CannedApis.cohereSpec(server),
      "rerankers.api-key=" + CannedApis.KEY,
    };
  }

  @Test
  void should_build_the_ranker_and_post_processor_from_properties_and_close_the_ranker_on_shutdown() {
    server.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    Reranker[] built = new Reranker[1];
    runner.withPropertyValues(cohereProperties())
        .withPropertyValues("rerankers.top-k=2", "rerankers.score-key=cohere_score")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Reranker.class).hasSingleBean(RerankerDocumentPostProcessor.class);
          built[0] = context.getBean(Reranker.class);
          assertThat(built[0].info().label()).isEqualTo("cohere:rerank-v3.5");

          ChatClientResponse response = Rag.ask(QUERY, context.getBean(RerankerDocumentPostProcessor.class));

          List<Document> docs = Rag.documents(response);
          assertThat(docs).extracting(Document::getId).containsExactly("doc-3", "doc-4");
          assertThat(docs).extracting(d -> d.getMetadata().get("cohere_score")).containsExactly(0.999071, 0.7867867);
        });
    // the api key from rerankers.api-key reached the request
    assertThat(takeAuthorization()).isEqualTo("Bearer " + CannedApis.KEY);
    // the context closed the ranker
    assertThatThrownBy(() -> built[0].rank(QUERY, List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void should_pass_typed_and_backend_options_through() {
    server.enqueue(CannedApis.json(503, "{\"message\":\"overloaded\"}"));
    runner.withPropertyValues(cohereProperties())
        .withPropertyValues(
            "rerankers.batch-size=2",
            "rerankers.options.max-retries=0",            // kebab-case key
            "rerankers.options[circuitBreakerThreshold]=7") // bracketed camelCase key
        .run(context -> {
          assertThat(context).hasNotFailed();
          Reranker reranker = context.getBean(Reranker.class);
          assertThat(reranker.info().details()).containsEntry("batchSize", "2");

          // maxRetries=0: one 503 fails the call at once
          assertThatThrownBy(() -> reranker.rank(QUERY, List.of("a", "b"))).isInstanceOf(ServerException.class)
              .hasMessageContaining("maxRetries=0");
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void should_fail_the_start_with_the_library_message_for_a_bad_option() {
    runner.withPropertyValues(cohereProperties())
        .withPropertyValues("rerankers.options.no-such-option=1")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(ConfigException.class)
              .hasMessageContaining("noSuchOption");
        });
  }

  @Test
  void should_create_nothing_without_a_spec() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(Reranker.class)
        .doesNotHaveBean(RerankerDocumentPostProcessor.class)
        .hasSingleBean(RerankersProperties.class));
  }

  @Test
  void should_back_off_when_the_application_defines_its_own_ranker() {
    server.enqueue(CannedApis.ok("cohere-rerank-ok.json"));
    runner.withPropertyValues("rerankers.spec=cross-encoder:not/loaded", "rerankers.top-k=1")
        .withBean(Reranker.class, () -> CannedApis.cohere(server, ""))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Reranker.class);
          RerankerDocumentPostProcessor processor = context.getBean(RerankerDocumentPostProcessor.class);
          assertThat(processor.reranker()).isSameAs(context.getBean(Reranker.class));

          assertThat(Rag.documents(Rag.ask(QUERY, processor))).extracting(Document::getId).containsExactly("doc-3");
        });
  }

  @Test
  void should_use_the_primary_of_several_rankers_and_skip_the_post_processor_without_one() {
    runner.withPropertyValues(cohereProperties())
        .withBean("primaryRanker", Reranker.class, () -> CannedApis.cohere(server, ""), d -> d.setPrimary(true))
        .withBean("otherRanker", Reranker.class, () -> CannedApis.tei(server))
        .run(context -> {
          assertThat(context).hasNotFailed().getBeans(Reranker.class).hasSize(2);
          assertThat(context.getBean(RerankerDocumentPostProcessor.class).reranker())
              .isSameAs(context.getBean("primaryRanker"));
        });
    runner.withPropertyValues(cohereProperties())
        .withBean("oneRanker", Reranker.class, () -> CannedApis.cohere(server, ""))
        .withBean("otherRanker", Reranker.class, () -> CannedApis.tei(server))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RerankerDocumentPostProcessor.class));
  }

  @Test
  void should_back_off_from_the_post_processor_when_the_application_defines_one() {
    runner.withPropertyValues(cohereProperties())
        .withUserConfiguration(OwnPostProcessor.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(RerankerDocumentPostProcessor.class);
          assertThat(context.getBean(RerankerDocumentPostProcessor.class).topK()).isEqualTo(4);
        });
  }

  @Test
  void should_be_found_by_enable_auto_configuration_through_the_imports_file() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
        .contains(RerankersAutoConfiguration.class.getName());
    new ApplicationContextRunner()
        .withUserConfiguration(App.class)
        .withPropertyValues(cohereProperties())
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RerankerDocumentPostProcessor.class));
  }

  @Test
  void should_mask_the_api_key_when_printing_properties() {
    RerankersProperties p = new RerankersProperties(
        "cohere:rerank-v3.5?apiKey=sk-in-spec&timeout=5s", null, null, "sk-property", null, null, null, null,
        null, null, java.util.Map.of("api-key", "sk-option", "service-token", "tok-option-123"), 3, "rerank_score");

    assertThat(p.toString()).doesNotContain("sk-in-spec", "sk-property", "sk-option", "tok-option-123")
        .contains("timeout=5s", "topK=3", "apiKey=…(11 chars)");
    assertThat(p.toRerankerProperties().getProperty("rerankers.apiKey")).isEqualTo("sk-property");
    assertThat(RerankersProperties.camelCase("circuit-breaker-cooldown")).isEqualTo("circuitBreakerCooldown");
  }

  private String takeAuthorization() {
    try {
      return server.takeRequest().getHeaders().get("Authorization");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnPostProcessor {
    @Bean
    RerankerDocumentPostProcessor myPostProcessor(Reranker reranker) {
      return RerankerDocumentPostProcessor.builder(reranker).topK(4).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
