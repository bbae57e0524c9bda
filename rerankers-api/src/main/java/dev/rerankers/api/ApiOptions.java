package dev.rerankers.api;

/**
 * The option keys this backend accepts beyond core's common ones ({@code apiKey}, {@code url},
 * {@code batchSize}, {@code maxLength}, ...), for config strings ({@code
 * "cohere:rerank-v3.5?timeout=20s&maxRetries=5"}), properties and {@link
 * dev.rerankers.Reranker.Builder#option(String, String)}.
 *
 * <p>Durations are written {@code 250ms}, {@code 10s}, {@code 2m}, ISO-8601 ({@code PT10S}) or a
 * plain number of seconds ({@code 1.5}). See {@code docs/api/README.md} for the resilience model.
 */
public final class ApiOptions {
  private ApiOptions() {}

  // ---- every type ------------------------------------------------------------------------

  /** Connect timeout per attempt (default 10s). */
  public static final String CONNECT_TIMEOUT = "connectTimeout";

  /** Read timeout: the longest silence while waiting for bytes (default 60s). */
  public static final String READ_TIMEOUT = "readTimeout";

  /** The longest one HTTP attempt may take, start to last byte (default 60s). */
  public static final String ATTEMPT_TIMEOUT = "attemptTimeout";

  /**
   * The overall deadline of one {@code rank} call, all attempts, back-offs and split requests
   * included (default 120s). When it passes, the call fails with {@link ApiTimeoutException}.
   */
  public static final String TIMEOUT = "timeout";

  /**
   * Retries after the first attempt on 408, 429, 5xx (not 501/505) and I/O errors (default 3; 0
   * disables). Other 4xx, refused redirects and malformed or oversized answers are never retried.
   */
  public static final String MAX_RETRIES = "maxRetries";

  /** The first back-off; doubled per retry, with jitter (default 500ms). */
  public static final String INITIAL_BACKOFF = "initialBackoff";

  /** The longest back-off between two attempts (default 30s). */
  public static final String MAX_BACKOFF = "maxBackoff";

  /**
   * The longest {@code Retry-After} honoured (default 60s); a provider asking for more fails the
   * call at once with {@link RateLimitedException} so a fallback can answer.
   */
  public static final String MAX_RETRY_AFTER = "maxRetryAfter";

  /**
   * Consecutive failed attempts (5xx, timeouts, I/O errors, malformed answers) that open the
   * endpoint's circuit breaker (default 5; 0 disables the breaker).
   */
  public static final String CIRCUIT_BREAKER_THRESHOLD = "circuitBreakerThreshold";

  /** How long an open breaker fails calls fast before letting one trial request through (default 30s). */
  public static final String CIRCUIT_BREAKER_COOLDOWN = "circuitBreakerCooldown";

  /** HTTP requests one ranker keeps in flight at most; more wait in a queue, no thread blocked (default 64). */
  public static final String MAX_CONCURRENCY = "maxConcurrency";

  /**
   * Allows sending the API key over plain {@code http://} to a host that is not this machine
   * (default false: such a url with a key is refused when the ranker is built). Loopback hosts
   * ({@code localhost}, 127.0.0.0/8, {@code ::1}) never need it. The same name as the Hub's option
   * for {@code HF_ENDPOINT}.
   */
  public static final String ALLOW_INSECURE = "allowInsecure";

  // ---- hosted rerank APIs ----------------------------------------------------------------

  /**
   * Asks the provider for only the best N of each request ({@code top_n} / {@code top_k}).
   * Documents the provider does not return rank last, in input order, with a score of negative
   * infinity.
   */
  public static final String TOP_N = "topN";

  /**
   * An approximate token budget per request (query tokens counted once per document, as Voyage
   * counts them): requests over it are split further. Default: 250000 for Voyage, none otherwise.
   */
  public static final String MAX_REQUEST_TOKENS = "maxRequestTokens";

  /**
   * Server-side truncation where the API has a switch: Voyage {@code truncation}, Pinecone {@code
   * parameters.truncate} ({@code END}/{@code NONE}), text-embeddings-inference {@code truncate}
   * (sent as {@code true} by default there). Unset means the API's own default.
   */
  public static final String TRUNCATE = "truncate";

  /** API version: {@code v1} or {@code v2} for Cohere (default v2), the {@code X-Pinecone-API-Version} date for Pinecone (default 2025-10). */
  public static final String API_VERSION = "apiVersion";

  /** text-embeddings-inference: raw logits instead of sigmoid scores (default false). */
  public static final String RAW_SCORES = "rawScores";

  // ---- LLM rankers (rankgpt, rankllm, llm-relevance-filter) -------------------------------

  /** Sliding window size in documents (default 20). */
  public static final String WINDOW = "window";

  /** Sliding window step (default 10; at most the window). */
  public static final String STEP = "step";

  /** Words kept per passage in the prompt (default 300; characters for lang zh and ja). */
  public static final String MAX_PASSAGE_WORDS = "maxPassageWords";

  /** Sampling temperature (default 0). */
  public static final String TEMPERATURE = "temperature";

  /** {@code max_tokens} sent with each chat request (default: not sent). */
  public static final String MAX_TOKENS = "maxTokens";

  /** rankllm: the model's context window in tokens, used to shorten passages that would not fit (default 4096). */
  public static final String CONTEXT_SIZE = "contextSize";

  /** rankllm: {@code rank_zephyr} (single-turn, default) or {@code rank_gpt} (multi-turn) prompt. */
  public static final String TEMPLATE = "template";

  /** llm-relevance-filter: the label of a document whose answer cannot be parsed (default RELEVANT). */
  public static final String DEFAULT_LABEL = "defaultLabel";

  /** llm-relevance-filter: a prompt template with {@code {query}} and {@code {docu_inputs}}. */
  public static final String PROMPT_TEMPLATE = "promptTemplate";
}
