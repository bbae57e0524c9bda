package dev.rerankers.springai;

import dev.rerankers.Reranker;
import java.lang.System.Logger.Level;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration (registered in {@code
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}):
 *
 * <ul>
 *   <li>a {@link Reranker} bean built from {@link RerankersProperties} when {@code rerankers.spec}
 *       is set and the application defines no {@code Reranker} bean of its own; it is loaded at
 *       startup (a bad spec or a missing backend fails the start with the library's message) and
 *       closed when the context closes;
 *   <li>a {@link RerankerDocumentPostProcessor} over the one {@code Reranker} bean (this one or
 *       the application's; with several, the {@code @Primary} one), keeping {@code rerankers.top-k}
 *       documents and writing the score under {@code rerankers.score-key}, unless the application
 *       defines its own.
 * </ul>
 *
 * The backend (rerankers-transformers, rerankers-api, ...) must be on the classpath, as for {@code
 * Reranker.load}.
 */
@AutoConfiguration
@ConditionalOnClass({Reranker.class, DocumentPostProcessor.class})
@EnableConfigurationProperties(RerankersProperties.class)
public class RerankersAutoConfiguration {
  private static final System.Logger LOG = System.getLogger(RerankersAutoConfiguration.class.getName());

  /** The ranker from {@code rerankers.*}; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Reranker.class)
  @ConditionalOnProperty(prefix = RerankersProperties.PREFIX, name = "spec")
  public Reranker reranker(RerankersProperties properties) {
    Reranker reranker = Reranker.fromProperties(properties.toRerankerProperties(), RerankersProperties.PREFIX);
    LOG.log(Level.DEBUG, "rerankers: built {0} from {1}", reranker.info(), properties);
    return reranker;
  }

  /** The post-processor for a {@code RetrievalAugmentationAdvisor}. */
  @Bean
  @ConditionalOnSingleCandidate(Reranker.class)
  @ConditionalOnMissingBean(RerankerDocumentPostProcessor.class)
  public RerankerDocumentPostProcessor rerankerDocumentPostProcessor(
      Reranker reranker, RerankersProperties properties) {
    RerankerDocumentPostProcessor.Builder b =
        RerankerDocumentPostProcessor.builder(reranker).scoreKey(properties.scoreKey());
    if (properties.topK() != null) {
      b.topK(properties.topK());
    }
    return b.build();
  }
}
