package dev.rerankers.api;

import dev.rerankers.RerankerSpec;
import dev.rerankers.api.internal.ApiScorerFactory;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The rerankers-api backend, found by {@link java.util.ServiceLoader}: hosted rerank APIs ({@code
 * cohere}, {@code jina}, {@code voyage}, {@code mixedbread.ai}, {@code pinecone}, {@code isaacus},
 * {@code text-embeddings-inference}) and LLM rankers over OpenAI-compatible chat endpoints ({@code
 * rankgpt}, {@code rankllm}, {@code llm-relevance-filter}).
 *
 * <pre>{@code
 * try (Reranker cohere = Reranker.load("cohere:rerank-v3.5?timeout=20s")) {   // key from COHERE_API_KEY
 *   RankedResults r = cohere.rank("capital of the US?", docs);
 *   r.usage().get(Usage.SEARCH_UNITS);
 * }
 * Reranker safe = Reranker.withFallback(Reranker.load("cohere"), Reranker.load("flashrank"));
 * }</pre>
 *
 * <p>Every ranker it builds is thread-safe, ranks asynchronously without blocking a thread per
 * request, retries transient failures, enforces timeouts and a per-endpoint circuit breaker, and
 * throws the typed exceptions of this package. All of them share one okhttp client ({@link
 * ApiHttpClient}). Options: {@link ApiOptions}, and per type {@link #options(String)}. Not meant
 * to be called directly: load rankers through {@link dev.rerankers.Reranker}.
 */
public final class ApiRerankerProvider implements RerankerProvider {
  private final Function<String, String> env;

  /** The provider ServiceLoader creates; API keys not given as options come from the environment. */
  public ApiRerankerProvider() {
    this(System::getenv);
  }

  /** A provider reading "environment variables" from a function (for tests). */
  ApiRerankerProvider(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  @Override
  public String name() {
    return "api";
  }

  @Override
  public Set<String> modelTypes() {
    Set<String> types = new LinkedHashSet<>(ApiScorerFactory.RERANK_TYPES);
    types.addAll(ApiScorerFactory.CHAT_TYPES);
    return types;
  }

  /**
   * The options of a type: the common ones it documents or gives its own default ({@code apiKey}
   * naming the provider's environment variable, {@code batchSize} the provider's documents per
   * request, ...), the transport options every type takes, and the type's own.
   */
  @Override
  public List<Option<?>> options(String modelType) {
    return ApiScorerFactory.options(modelType);
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return ApiScorerFactory.create(spec, options, env);
  }
}
