package dev.rerankers.api.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.api.ApiOptions;
import dev.rerankers.spi.Scorer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Builds the scorers of the rerankers-api backend from resolved specs: which types exist, which
 * option keys each accepts, where the key comes from, and how options become protocol settings.
 * Stateless.
 */
public final class ApiScorers {
  private static final System.Logger LOG = System.getLogger(ApiScorers.class.getName());
  /** The hosted rerank APIs, by model type. */
  public static final List<String> RERANK_TYPES =
      List.of("cohere", "jina", "voyage", "mixedbread.ai", "pinecone", "isaacus", "text-embeddings-inference");

  /** The LLM-backed types over OpenAI-compatible chat endpoints. */
  public static final List<String> CHAT_TYPES = List.of("rankgpt", "rankllm", "llm-relevance-filter");

  private static final List<String> TRANSPORT_KEYS =
      List.of(
          ApiOptions.CONNECT_TIMEOUT, ApiOptions.READ_TIMEOUT, ApiOptions.ATTEMPT_TIMEOUT, ApiOptions.TIMEOUT,
          ApiOptions.MAX_RETRIES, ApiOptions.INITIAL_BACKOFF, ApiOptions.MAX_BACKOFF, ApiOptions.MAX_RETRY_AFTER,
          ApiOptions.CIRCUIT_BREAKER_THRESHOLD, ApiOptions.CIRCUIT_BREAKER_COOLDOWN, ApiOptions.MAX_CONCURRENCY,
          ApiOptions.ALLOW_INSECURE);

  /** rank_llm's short model names and the checkpoints they stand for. */
  static final Map<String, String> RANKLLM_MODELS =
      Map.of("rank_zephyr", "castorini/rank_zephyr_7b_v1_full", "rank_vicuna", "castorini/rank_vicuna_7b_v1");

  static final String USER_AGENT = "rerankers-java/" + version();

  private ApiScorers() {}

  /** The option keys a type accepts beyond core's common ones. */
  public static Set<String> optionKeys(String type) {
    Set<String> keys = new LinkedHashSet<>(TRANSPORT_KEYS);
    switch (type) {
      case "cohere" -> keys.addAll(List.of(ApiOptions.TOP_N, ApiOptions.MAX_REQUEST_TOKENS, ApiOptions.API_VERSION));
      case "pinecone" -> keys.addAll(List.of(ApiOptions.TOP_N, ApiOptions.MAX_REQUEST_TOKENS, ApiOptions.API_VERSION, ApiOptions.TRUNCATE));
      case "voyage" -> keys.addAll(List.of(ApiOptions.TOP_N, ApiOptions.MAX_REQUEST_TOKENS, ApiOptions.TRUNCATE));
      case "jina", "mixedbread.ai", "isaacus" -> keys.addAll(List.of(ApiOptions.TOP_N, ApiOptions.MAX_REQUEST_TOKENS));
      case "text-embeddings-inference" -> keys.addAll(List.of(ApiOptions.MAX_REQUEST_TOKENS, ApiOptions.TRUNCATE, ApiOptions.RAW_SCORES));
      case "rankgpt" -> keys.addAll(List.of(ApiOptions.TEMPERATURE, ApiOptions.MAX_TOKENS, ApiOptions.WINDOW, ApiOptions.STEP, ApiOptions.MAX_PASSAGE_WORDS));
      case "rankllm" -> keys.addAll(List.of(ApiOptions.TEMPERATURE, ApiOptions.MAX_TOKENS, ApiOptions.WINDOW, ApiOptions.STEP,
          ApiOptions.MAX_PASSAGE_WORDS, ApiOptions.CONTEXT_SIZE, ApiOptions.TEMPLATE));
      case "llm-relevance-filter" -> keys.addAll(List.of(ApiOptions.TEMPERATURE, ApiOptions.MAX_TOKENS,
          ApiOptions.DEFAULT_LABEL, ApiOptions.PROMPT_TEMPLATE));
      default -> {
        return Set.of();
      }
    }
    return keys;
  }

  /**
   * The scorer for a spec.
   *
   * @param env reads environment variables (API keys)
   * @throws ConfigException for a missing key or url, or a bad option value
   */
  public static Scorer create(RerankerSpec spec, Function<String, String> env) {
    String type = spec.type();
    if (RERANK_TYPES.contains(type)) {
      return rerank(spec, env);
    }
    return switch (type) {
      case "rankgpt", "rankllm" -> listwise(spec, env);
      case "llm-relevance-filter" -> relevanceFilter(spec, env);
      default -> throw new ConfigException("the api backend does not serve model type '" + type + "'");
    };
  }

  // ---- hosted rerank APIs -----------------------------------------------------------------

  static RerankProtocol protocol(RerankerSpec spec) {
    String url = spec.option(RerankerSpec.URL).orElse(null);
    Boolean truncate = spec.option(ApiOptions.TRUNCATE).isPresent() ? spec.booleanOption(ApiOptions.TRUNCATE, true) : null;
    return switch (spec.type()) {
      case "cohere" -> CohereProtocol.of(spec.option(ApiOptions.API_VERSION).orElse(null), url);
      case "jina" -> new JinaProtocol();
      case "voyage" -> new VoyageProtocol(truncate);
      case "mixedbread.ai" -> new MixedbreadProtocol();
      case "pinecone" -> new PineconeProtocol(spec.option(ApiOptions.API_VERSION).orElse(null), truncate);
      case "isaacus" -> new IsaacusProtocol();
      case "text-embeddings-inference" -> new TeiProtocol(truncate, spec.booleanOption(ApiOptions.RAW_SCORES, false));
      default -> throw new ConfigException("not a hosted rerank API: " + spec.type());
    };
  }

  private static Scorer rerank(RerankerSpec spec, Function<String, String> env) {
    RerankProtocol p = protocol(spec);
    HttpUrl url = p.endpoint(spec.option(RerankerSpec.URL).orElse(null));
    Secret key = key(spec, () -> Secret.fromEnvironment(p.keyEnvVar(), env.apply(p.keyEnvVar())));
    if (key == null && p.keyRequired()) {
      throw new ConfigException(
          p.provider() + " needs an API key: set the apiKey option (e.g. '" + p.provider() + ":" + spec.model()
              + "?apiKey=...', or Reranker.builder(...).apiKey(...)) or the " + p.keyEnvVar() + " environment variable");
    }
    int batchSize = positive(spec, RerankerSpec.BATCH_SIZE, p.maxDocuments());
    Integer topN = spec.option(ApiOptions.TOP_N).isPresent() ? positive(spec, ApiOptions.TOP_N, 1) : null;
    Integer maxLength = spec.option(RerankerSpec.MAX_LENGTH).isPresent() ? positive(spec, RerankerSpec.MAX_LENGTH, 1) : null;
    int maxRequestTokens = spec.intOption(ApiOptions.MAX_REQUEST_TOKENS, p.defaultMaxRequestTokens());
    if (maxRequestTokens < 0) {
      throw new ConfigException(ApiOptions.MAX_REQUEST_TOKENS + " must be >= 0 (0: no budget), got " + maxRequestTokens);
    }
    ApiSettings settings = ApiSettings.from(spec);
    checkTransport(p.provider(), url, key, spec);
    Headers headers = headers(p.provider(), h -> {
      p.addHeaders(h);
      p.authenticate(h, key);
    });
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(url));
    details.put("batchSize", Integer.toString(batchSize));
    details.putAll(p.details());
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "api", null, null, details);
    HttpEngine engine = new HttpEngine(p.provider(), settings, key, keyHint(p.keyEnvVar()));
    return new RerankApiScorer(p, engine, url, headers, spec.model(), batchSize, topN, maxLength, maxRequestTokens, info);
  }

  // ---- LLM rankers ------------------------------------------------------------------------

  private static ChatClient chat(RerankerSpec spec, Function<String, String> env, String model) {
    String urlOption = spec.option(RerankerSpec.URL).orElse(null);
    if (urlOption == null && spec.type().equals("rankllm")) {
      throw new ConfigException(
          "rankllm needs the url option: the OpenAI-compatible server that serves " + model
              + " (vLLM, Ollama, ...), e.g. 'rankllm:rank_zephyr?url=http://localhost:8000/v1'");
    }
    HttpUrl url = ChatClient.endpoint(urlOption);
    boolean openAi = url.host().equals("api.openai.com");
    // OPENAI_API_KEY goes to api.openai.com only: a custom url gets a key only from the apiKey option.
    Secret key = key(spec, () -> openAi ? Secret.fromEnvironment("OPENAI_API_KEY", env.apply("OPENAI_API_KEY")) : null);
    if (key == null && openAi) {
      throw new ConfigException(
          spec.type() + " on api.openai.com needs an API key: set the apiKey option or the OPENAI_API_KEY environment variable"
              + " (for vLLM, Ollama and other servers, set url to their OpenAI-compatible base, e.g. http://localhost:11434/v1)");
    }
    double temperature = spec.doubleOption(ApiOptions.TEMPERATURE, 0.0);
    if (temperature < 0 || Double.isNaN(temperature)) {
      throw new ConfigException(ApiOptions.TEMPERATURE + " must be >= 0, got " + temperature);
    }
    Integer maxTokens = spec.option(ApiOptions.MAX_TOKENS).isPresent() ? positive(spec, ApiOptions.MAX_TOKENS, 1) : null;
    ApiSettings settings = ApiSettings.from(spec);
    checkTransport(spec.type(), url, key, spec);
    Headers headers = headers(spec.type(), h -> {
      if (key != null) {
        h.add("Authorization", "Bearer " + key.value());
      }
    });
    HttpEngine engine = new HttpEngine(spec.type(), settings, key,
        openAi ? keyHint("OPENAI_API_KEY") : "the apiKey option");
    return new ChatClient(engine, url, headers, model, temperature, maxTokens);
  }

  private static Scorer listwise(RerankerSpec spec, Function<String, String> env) {
    boolean rankLlm = spec.type().equals("rankllm");
    String model = rankLlm ? RANKLLM_MODELS.getOrDefault(spec.model(), spec.model()) : spec.model();
    int window = positive(spec, ApiOptions.WINDOW, 20);
    int step = positive(spec, ApiOptions.STEP, 10);
    if (step > window) {
      throw new ConfigException(
          ApiOptions.STEP + " (" + step + ") must not exceed " + ApiOptions.WINDOW + " (" + window + "), or documents between windows would never be compared");
    }
    int maxWords = positive(spec, ApiOptions.MAX_PASSAGE_WORDS, 300);
    Integer maxLength = spec.option(RerankerSpec.MAX_LENGTH).isPresent() ? positive(spec, RerankerSpec.MAX_LENGTH, 1) : null;
    ListwisePrompt prompt;
    String template = "rank_gpt";
    if (rankLlm) {
      template = spec.option(ApiOptions.TEMPLATE).orElse("rank_zephyr").strip().toLowerCase(Locale.ROOT);
      int contextSize = positive(spec, ApiOptions.CONTEXT_SIZE, 4096);
      prompt = switch (template) {
        case "rank_zephyr" -> new RankZephyrPrompt(maxWords, contextSize);
        case "rank_gpt" -> new RankGptPrompt(maxWords, spec.lang(), true);
        default -> throw new ConfigException(ApiOptions.TEMPLATE + " must be rank_zephyr or rank_gpt, got '" + template + "'");
      };
    } else {
      prompt = new RankGptPrompt(maxWords, spec.lang(), false);
    }
    ChatClient chat = chat(spec, env, model);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(chat.url()));
    details.put("window", Integer.toString(window));
    details.put("step", Integer.toString(step));
    details.put("template", template);
    RerankerInfo info = new RerankerInfo(spec.type(), model, "api", null, null, details);
    return new ListwiseScorer(chat, prompt, window, step, maxLength, info);
  }

  private static Scorer relevanceFilter(RerankerSpec spec, Function<String, String> env) {
    String label = spec.option(ApiOptions.DEFAULT_LABEL).orElse("RELEVANT").strip().toUpperCase(Locale.ROOT);
    if (!label.equals("RELEVANT") && !label.equals("NOT_RELEVANT")) {
      throw new ConfigException(ApiOptions.DEFAULT_LABEL + " must be RELEVANT or NOT_RELEVANT, got '" + label + "'");
    }
    String template = RelevanceFilterScorer.checkTemplate(
        spec.option(ApiOptions.PROMPT_TEMPLATE).orElse(RelevanceFilterScorer.DEFAULT_PROMPT_TEMPLATE));
    int batchSize = positive(spec, RerankerSpec.BATCH_SIZE, 20);
    Integer maxLength = spec.option(RerankerSpec.MAX_LENGTH).isPresent() ? positive(spec, RerankerSpec.MAX_LENGTH, 1) : null;
    ChatClient chat = chat(spec, env, spec.model());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(chat.url()));
    details.put("batchSize", Integer.toString(batchSize));
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "api", null, null, details);
    return new RelevanceFilterScorer(chat, template, label.equals("RELEVANT"), batchSize, maxLength, info);
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** The key: the apiKey option when set (checked), else what {@code fallback} reads (checked too). */
  private static Secret key(RerankerSpec spec, Supplier<Secret> fallback) {
    String option = spec.option(RerankerSpec.API_KEY).orElse(null);
    return option != null ? Secret.of(RerankerSpec.API_KEY, option) : fallback.get();
  }

  /**
   * Refuses to send a key in clear text to a host that is not this machine unless {@code
   * allowInsecure=true}: plain http is readable by anyone on the path.
   */
  static void checkTransport(String provider, HttpUrl url, Secret key, RerankerSpec spec) {
    boolean allowInsecure = spec.booleanOption(ApiOptions.ALLOW_INSECURE, false);
    if (key == null || url.isHttps() || Origins.isLoopback(url)) {
      return;
    }
    if (!allowInsecure) {
      throw new ConfigException(
          provider + ": refusing to send the API key in clear text to " + Origins.of(url)
              + " (plain http to a host that is not this machine): use an https url, or set "
              + ApiOptions.ALLOW_INSECURE + "=true if the network to that host is trusted");
    }
    LOG.log(Level.WARNING, "{0}: the API key goes in clear text to {1} ({2}=true)",
        provider, Origins.of(url), ApiOptions.ALLOW_INSECURE);
  }

  /**
   * The request headers: the common ones plus what {@code add} adds. okhttp's own check of a
   * header value quotes the value (a key, for headers it does not know as sensitive): that message
   * and its exception are never passed on.
   */
  private static Headers headers(String provider, Consumer<Headers.Builder> add) {
    try {
      Headers.Builder h = new Headers.Builder().add("Accept", "application/json").add("User-Agent", USER_AGENT);
      add.accept(h);
      return h.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          provider + ": an option holds a character that HTTP headers cannot carry (only printable ASCII);"
              + " check apiKey and apiVersion");
    }
  }

  private static String keyHint(String envVar) {
    return "the apiKey option or the " + envVar + " environment variable";
  }

  private static int positive(RerankerSpec spec, String key, int def) {
    int v = spec.intOption(key, def);
    if (v < 1) {
      throw new ConfigException("option " + key + " must be >= 1, got " + v);
    }
    return v;
  }

  private static String version() {
    try (InputStream in = RerankerSpec.class.getResourceAsStream("/dev/rerankers/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "dev");
      }
    } catch (IOException e) {
      // fall through
    }
    return "dev";
  }
}
