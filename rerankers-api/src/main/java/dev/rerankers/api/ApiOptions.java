package dev.rerankers.api;

import dev.rerankers.ConfigException;
import dev.rerankers.api.internal.Durations;
import dev.rerankers.spi.Option;
import java.time.Duration;

/**
 * The options this backend accepts beyond core's common ones ({@code apiKey}, {@code url}, {@code
 * batchSize}, {@code maxLength}, {@code allowInsecure}, ...), declared once: key, type, default,
 * range and the line the docs tables show. Core parses and checks every value against these
 * declarations before a ranker is built; {@link ApiRerankerProvider#options(String)} tells which
 * of them each model type takes. Use them in config strings ({@code
 * "cohere:rerank-v3.5?timeout=20s&maxRetries=5"}), properties, or {@link
 * dev.rerankers.Reranker.Builder#option(String, String)} with {@link Option#key()}.
 *
 * <p>Durations are written {@code 250ms}, {@code 10s}, {@code 2m}, ISO-8601 ({@code PT10S}) or a
 * plain number of seconds ({@code 1.5}); their defaults show in ISO-8601. See {@code
 * docs/api/README.md} for the resilience model.
 */
public final class ApiOptions {
  private ApiOptions() {}

  // ---- every type ------------------------------------------------------------------------

  /** Connect timeout per attempt. */
  public static final Option<Duration> CONNECT_TIMEOUT =
      positiveDuration("connectTimeout", "duration (250ms, 10s, 2m, PT10S): connect timeout of one attempt")
          .defaultValue(Duration.ofSeconds(10));

  /** Read timeout: the longest silence while waiting for bytes. */
  public static final Option<Duration> READ_TIMEOUT =
      positiveDuration("readTimeout", "duration: the longest silence while reading or writing")
          .defaultValue(Duration.ofSeconds(60));

  /** The longest one HTTP attempt may take, start to last byte. */
  public static final Option<Duration> ATTEMPT_TIMEOUT =
      positiveDuration("attemptTimeout", "duration: the longest one HTTP attempt may take, start to last byte")
          .defaultValue(Duration.ofSeconds(60));

  /**
   * The overall deadline of one {@code rank} call, all attempts, back-offs and split requests
   * included. When it passes, the call fails with {@link ApiTimeoutException}.
   */
  public static final Option<Duration> TIMEOUT =
      positiveDuration("timeout", "duration: deadline of one rank call, every attempt, back-off and split request included")
          .defaultValue(Duration.ofSeconds(120));

  /**
   * Retries after the first attempt on 408, 429, 5xx (not 501/505) and I/O errors (0 disables).
   * Other 4xx, refused redirects and malformed or oversized answers are never retried.
   */
  public static final Option<Integer> MAX_RETRIES =
      Option.integer("maxRetries", "retries after the first attempt, for 408, 429, 5xx (not 501/505) and I/O errors")
          .atLeast(0).defaultValue(3);

  /** The first back-off; doubled per retry, with jitter. */
  public static final Option<Duration> INITIAL_BACKOFF =
      duration("initialBackoff", "duration: the first back-off, doubled per retry, half of it random (jitter)")
          .defaultValue(Duration.ofMillis(500));

  /** The longest back-off between two attempts; not shorter than {@link #INITIAL_BACKOFF}. */
  public static final Option<Duration> MAX_BACKOFF =
      duration("maxBackoff", "duration: the longest back-off between two attempts (not below initialBackoff)")
          .defaultValue(Duration.ofSeconds(30));

  /**
   * The longest {@code Retry-After} honoured; a provider asking for more fails the call at once
   * with {@link RateLimitedException} so a fallback can answer.
   */
  public static final Option<Duration> MAX_RETRY_AFTER =
      duration("maxRetryAfter", "duration: the longest Retry-After honoured; asked for more, the call fails at once")
          .defaultValue(Duration.ofSeconds(60));

  /**
   * Consecutive failed attempts (5xx, timeouts, I/O errors, malformed answers) that open the
   * endpoint's circuit breaker (0 disables the breaker).
   */
  public static final Option<Integer> CIRCUIT_BREAKER_THRESHOLD =
      Option.integer("circuitBreakerThreshold",
              "consecutive unhealthy attempts (5xx, timeouts, I/O errors, malformed answers) that open the breaker; 0: off")
          .atLeast(0).defaultValue(5);

  /** How long an open breaker fails calls fast before letting one trial request through. */
  public static final Option<Duration> CIRCUIT_BREAKER_COOLDOWN =
      duration("circuitBreakerCooldown", "duration: how long an open breaker fails calls fast before one trial request")
          .defaultValue(Duration.ofSeconds(30));

  /**
   * HTTP requests one ranker keeps in flight at most, {@code rank} and {@code rankAsync} alike;
   * more wait in the ranker's queue, no thread blocked.
   */
  public static final Option<Integer> MAX_CONCURRENCY =
      Option.integer("maxConcurrency", "HTTP requests one ranker keeps in flight at most; more wait in a queue, no thread blocked")
          .atLeast(1).defaultValue(64);

  // ---- hosted rerank APIs ----------------------------------------------------------------

  /**
   * Asks the provider for only the best N of each request ({@code top_n} / {@code top_k}).
   * Documents the provider does not return rank last, in input order, with a score of negative
   * infinity.
   */
  public static final Option<Integer> TOP_N =
      Option.integer("topN", "ask the provider for only the best N per request; the others rank last with score -Infinity")
          .atLeast(1);

  /**
   * An approximate token budget per request (query tokens counted once per document, as Voyage
   * counts them): requests over it are split further; 0 means no budget. Voyage's default is
   * 250000.
   */
  public static final Option<Integer> MAX_REQUEST_TOKENS =
      Option.integer("maxRequestTokens", "approximate token budget per request (query counted once per document); 0: none")
          .atLeast(0).defaultValue(0);

  /**
   * Server-side truncation where the API has a switch: Voyage {@code truncation}, Pinecone {@code
   * parameters.truncate} ({@code END}/{@code NONE}), text-embeddings-inference {@code truncate}
   * (sent as {@code true} by default there). Unset means the API's own default.
   */
  public static final Option<Boolean> TRUNCATE =
      Option.bool("truncate", "the provider's own truncation of long inputs; unset: the API's default");

  /**
   * Cohere's API version: {@code v2} ({@code /v2/rerank}) or {@code v1}; unset, v1 when the url
   * ends in {@code /v1/rerank}, else v2.
   */
  public static final Option<String> COHERE_API_VERSION =
      Option.choice("apiVersion", "Cohere API version", "v1", "v2")
          .defaultDescribed("v2, or v1 when url ends in /v1/rerank");

  /** Pinecone's {@code X-Pinecone-API-Version} header. */
  public static final Option<String> PINECONE_API_VERSION =
      Option.text("apiVersion", String.class, ApiOptions::pineconeVersion, "the X-Pinecone-API-Version header")
          .defaultValue("2025-10");

  /** text-embeddings-inference: raw logits instead of sigmoid scores. */
  public static final Option<Boolean> RAW_SCORES =
      Option.bool("rawScores", "raw logits instead of sigmoid scores").defaultValue(false);

  // ---- LLM rankers (rankgpt, rankllm, llm-relevance-filter) -------------------------------

  /** Sliding window size in documents. */
  public static final Option<Integer> WINDOW =
      Option.integer("window", "sliding window size in documents").atLeast(1).defaultValue(20);

  /** Sliding window step (at most the window). */
  public static final Option<Integer> STEP =
      Option.integer("step", "sliding window step (at most window)").atLeast(1).defaultValue(10);

  /** Words kept per passage in the prompt (characters for lang zh and ja). */
  public static final Option<Integer> MAX_PASSAGE_WORDS =
      Option.integer("maxPassageWords", "words kept per passage in the prompt (characters for lang zh and ja)")
          .atLeast(1).defaultValue(300);

  /** Sampling temperature. */
  public static final Option<Double> TEMPERATURE =
      Option.number("temperature", "sampling temperature").atLeast(0).defaultValue(0.0);

  /** {@code max_tokens} sent with each chat request (unset: not sent). */
  public static final Option<Integer> MAX_TOKENS =
      Option.integer("maxTokens", "max_tokens sent with each chat request; unset: not sent").atLeast(1);

  /** rankllm: the model's context window in tokens, used to shorten passages that would not fit. */
  public static final Option<Integer> CONTEXT_SIZE =
      Option.integer("contextSize", "the model's context window in tokens; passages are shortened to fit")
          .atLeast(1).defaultValue(4096);

  /** rankllm: {@code rank_zephyr} (single-turn) or {@code rank_gpt} (multi-turn) prompt. */
  public static final Option<String> TEMPLATE =
      Option.choice("template", "the prompt: rank_zephyr (single-turn) or rank_gpt (multi-turn)", "rank_zephyr", "rank_gpt")
          .defaultValue("rank_zephyr");

  /** llm-relevance-filter: the label of a document whose answer cannot be parsed. */
  public static final Option<String> DEFAULT_LABEL =
      Option.choice("defaultLabel", "the label of a document whose answer cannot be read", "RELEVANT", "NOT_RELEVANT")
          .defaultValue("RELEVANT");

  /** llm-relevance-filter: a prompt template with {@code {query}} and {@code {docu_inputs}}. */
  public static final Option<String> PROMPT_TEMPLATE =
      Option.text("promptTemplate", String.class, ApiOptions::promptTemplate,
              "the prompt, with {query} and {docu_inputs}")
          .defaultDescribed("the Python library's LLMRelevanceFilter prompt");

  // ---- parsers -----------------------------------------------------------------------------

  private static Option<Duration> duration(String key, String doc) {
    return Option.text(key, Duration.class, v -> Durations.parse(key, v), doc);
  }

  private static Option<Duration> positiveDuration(String key, String doc) {
    return Option.text(key, Duration.class, v -> {
      Duration d = Durations.parse(key, v);
      if (d.isZero()) {
        throw new ConfigException("option " + key + " must be a positive duration, got '" + v + "'");
      }
      return d;
    }, doc);
  }

  private static String pineconeVersion(String v) {
    String s = v.strip();
    if (!s.matches("[A-Za-z0-9._-]{1,40}")) {
      // Sent as a header: okhttp would reject (and quote) anything else.
      throw new ConfigException("apiVersion for pinecone must be a version such as 2025-10 (letters, digits, '-', '.', '_')");
    }
    return s;
  }

  private static String promptTemplate(String t) {
    if (!t.contains("{query}") || !t.contains("{docu_inputs}")) {
      throw new ConfigException("promptTemplate must contain both {query} and {docu_inputs}");
    }
    return t;
  }
}
