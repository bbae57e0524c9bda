package dev.rerankers.api.internal;

import static dev.rerankers.api.ApiOptions.CIRCUIT_BREAKER_COOLDOWN;
import static dev.rerankers.api.ApiOptions.CIRCUIT_BREAKER_THRESHOLD;
import static dev.rerankers.api.ApiOptions.CONNECT_TIMEOUT;
import static dev.rerankers.api.ApiOptions.INITIAL_BACKOFF;
import static dev.rerankers.api.ApiOptions.MAX_BACKOFF;
import static dev.rerankers.api.ApiOptions.MAX_CONCURRENCY;
import static dev.rerankers.api.ApiOptions.MAX_RETRIES;
import static dev.rerankers.api.ApiOptions.MAX_RETRY_AFTER;
import static dev.rerankers.api.ApiOptions.ATTEMPT_TIMEOUT;
import static dev.rerankers.api.ApiOptions.READ_TIMEOUT;
import static dev.rerankers.api.ApiOptions.TIMEOUT;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.api.ApiOptions;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.Scorer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Builds the scorers of the rerankers-api backend: which types exist, which options each declares,
 * where the key comes from, and how the checked option values (read once, into the settings
 * records) become a protocol, an HTTP engine and a scorer. Stateless.
 */
public final class ApiScorerFactory {
  private static final System.Logger LOG = System.getLogger(ApiScorerFactory.class.getName());

  /** The hosted rerank APIs, by model type. */
  public static final List<String> RERANK_TYPES =
      List.of("cohere", "jina", "voyage", "mixedbread.ai", "pinecone", "isaacus", "text-embeddings-inference");

  /** The LLM-backed types over OpenAI-compatible chat endpoints. */
  public static final List<String> CHAT_TYPES = List.of("rankgpt", "rankllm", "llm-relevance-filter");

  /** What every type takes: timeouts, retries, the breaker, the concurrency bound. */
  private static final List<Option<?>> TRANSPORT = List.of(
      CONNECT_TIMEOUT, READ_TIMEOUT, ATTEMPT_TIMEOUT, TIMEOUT, MAX_RETRIES, INITIAL_BACKOFF, MAX_BACKOFF,
      MAX_RETRY_AFTER, CIRCUIT_BREAKER_THRESHOLD, CIRCUIT_BREAKER_COOLDOWN, MAX_CONCURRENCY);

  private static final Option<Boolean> ALLOW_INSECURE = CommonOptions.ALLOW_INSECURE.doc(
      "allow sending the API key over plain http to a host that is not this machine (loopback never needs it)");

  /** rank_llm's short model names and the checkpoints they stand for. */
  static final Map<String, String> RANKLLM_MODELS =
      Map.of("rank_zephyr", "castorini/rank_zephyr_7b_v1_full", "rank_vicuna", "castorini/rank_vicuna_7b_v1");

  static final String USER_AGENT = "rerankers-java/" + version();

  private ApiScorerFactory() {}

  /**
   * The options a type declares: the common ones it documents or gives a default of its own, the
   * transport options, and its own.
   *
   * @return an empty list for a type this backend does not serve
   */
  public static List<Option<?>> options(String type) {
    List<Option<?>> out = new ArrayList<>();
    RerankApi api = RerankApis.BY_TYPE.get(type);
    if (api != null) {
      RerankApi.Endpoint e = api.endpoint();
      out.add(CommonOptions.API_KEY.doc("API key (else the " + e.keyEnvVar() + " environment variable)"
          + (e.keyRequired() ? "" : "; optional")));
      out.add(e.defaultUrl() == null
          ? CommonOptions.URL.doc("the server's base URL (required); /rerank is appended")
          : CommonOptions.URL.doc("the endpoint URL (a proxy, a gateway)").defaultDescribed(e.defaultUrl()));
      out.add(CommonOptions.BATCH_SIZE.doc("documents per request; more are sent as concurrent requests")
          .defaultValue(api.maxDocuments()));
      out.add(CommonOptions.MAX_LENGTH.doc("approximate token budget per document; longer ones are cut on the client"));
      out.add(ALLOW_INSECURE);
      out.addAll(TRANSPORT);
      if (api.request().topField() != null) {
        out.add(ApiOptions.TOP_N);
      }
      out.add(ApiOptions.MAX_REQUEST_TOKENS.defaultValue(api.maxRequestTokens()));
      out.addAll(api.options());
      return out;
    }
    if (!CHAT_TYPES.contains(type)) {
      return out;
    }
    out.add(type.equals("rankllm")
        ? CommonOptions.API_KEY.doc("API key of your server, if it needs one")
        : CommonOptions.API_KEY.doc("API key (else OPENAI_API_KEY, read only for api.openai.com)"));
    out.add(type.equals("rankllm")
        ? CommonOptions.URL.doc("your OpenAI-compatible server (required): a base such as http://localhost:8000/v1")
        : CommonOptions.URL.doc("an OpenAI-compatible base (…/v1) or chat-completions URL")
            .defaultDescribed(ChatClient.OPENAI_URL));
    if (type.equals("llm-relevance-filter")) {
      out.add(CommonOptions.BATCH_SIZE.doc("documents per prompt; more are sent as concurrent requests").defaultValue(20));
    }
    out.add(CommonOptions.MAX_LENGTH.doc("approximate token budget per document; longer ones are cut on the client"));
    out.add(ALLOW_INSECURE);
    out.addAll(TRANSPORT);
    out.add(ApiOptions.TEMPERATURE);
    out.add(ApiOptions.MAX_TOKENS);
    switch (type) {
      case "rankgpt" -> out.addAll(List.of(ApiOptions.WINDOW, ApiOptions.STEP, ApiOptions.MAX_PASSAGE_WORDS));
      case "rankllm" -> out.addAll(List.of(ApiOptions.WINDOW, ApiOptions.STEP, ApiOptions.MAX_PASSAGE_WORDS,
          ApiOptions.CONTEXT_SIZE, ApiOptions.TEMPLATE));
      default -> out.addAll(List.of(ApiOptions.DEFAULT_LABEL, ApiOptions.PROMPT_TEMPLATE));
    }
    return out;
  }

  /**
   * The scorer for a spec and its checked options.
   *
   * @param env reads environment variables (API keys)
   * @throws ConfigException for a missing key or url, or options that contradict each other
   */
  public static Scorer create(RerankerSpec spec, OptionValues options, Function<String, String> env) {
    TransportSettings transport = TransportSettings.of(options);
    String type = spec.type();
    if (RerankApis.BY_TYPE.containsKey(type)) {
      return rerank(spec, options, transport, env);
    }
    return switch (type) {
      case "rankgpt", "rankllm" -> listwise(spec, options, transport, env);
      case "llm-relevance-filter" -> relevanceFilter(spec, options, transport, env);
      default -> throw new ConfigException("the api backend does not serve model type '" + type + "'");
    };
  }

  // ---- hosted rerank APIs -----------------------------------------------------------------

  static RerankProtocol protocol(String type, OptionValues o) {
    String url = o.optional(CommonOptions.URL).orElse(null);
    return switch (type) {
      case "cohere" -> new RerankProtocol(RerankApis.cohere(o.optional(ApiOptions.COHERE_API_VERSION).orElse(null), url), null);
      case "pinecone" -> new PineconeProtocol(o.get(ApiOptions.PINECONE_API_VERSION), o.optional(ApiOptions.TRUNCATE).orElse(null));
      case "text-embeddings-inference" -> new TeiProtocol(o.get(ApiOptions.TRUNCATE), o.get(ApiOptions.RAW_SCORES));
      default -> {
        RerankApi api = RerankApis.BY_TYPE.get(type);
        yield new RerankProtocol(api, api.options().contains(ApiOptions.TRUNCATE) ? o.optional(ApiOptions.TRUNCATE).orElse(null) : null);
      }
    };
  }

  private static Scorer rerank(RerankerSpec spec, OptionValues o, TransportSettings transport, Function<String, String> env) {
    RerankProtocol p = protocol(spec.type(), o);
    RerankApi.Endpoint e = p.api().endpoint();
    HttpUrl url = p.endpoint(o.optional(CommonOptions.URL).orElse(null));
    Secret key = key(o, e.keyEnvVar(), env);
    if (key == null && e.keyRequired()) {
      throw new ConfigException(
          p.provider() + " needs an API key: set the apiKey option (e.g. '" + p.provider() + ":" + spec.model()
              + "?apiKey=...', or Reranker.builder(...).apiKey(...)) or the " + e.keyEnvVar() + " environment variable");
    }
    RerankApiScorer.Settings settings = new RerankApiScorer.Settings(
        spec.model(), o.get(CommonOptions.BATCH_SIZE),
        o.declared().contains(ApiOptions.TOP_N) ? o.optional(ApiOptions.TOP_N).orElse(null) : null,
        o.optional(CommonOptions.MAX_LENGTH).orElse(null), o.get(ApiOptions.MAX_REQUEST_TOKENS));
    checkTransport(p.provider(), url, key, transport);
    HttpEngine engine = new HttpEngine(p.provider(), transport, url, headers(p.provider(), p.headers()), key,
        e.authHeader(), e.authPrefix(), keyHint(e.keyEnvVar()));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(url));
    details.put("batchSize", Integer.toString(settings.batchSize()));
    details.putAll(p.details());
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "api", null, null, details);
    return new RerankApiScorer(p, engine, settings, info);
  }

  // ---- LLM rankers ------------------------------------------------------------------------

  private static ChatClient chat(RerankerSpec spec, OptionValues o, TransportSettings transport, Function<String, String> env,
      String model) {
    String urlOption = o.optional(CommonOptions.URL).orElse(null);
    if (urlOption == null && spec.type().equals("rankllm")) {
      throw new ConfigException(
          "rankllm needs the url option: the OpenAI-compatible server that serves " + model
              + " (vLLM, Ollama, ...), e.g. 'rankllm:rank_zephyr?url=http://localhost:8000/v1'");
    }
    HttpUrl url = ChatClient.endpoint(urlOption);
    boolean openAi = url.host().equals("api.openai.com");
    // OPENAI_API_KEY goes to api.openai.com only: a custom url gets a key only from the apiKey option.
    Secret key = key(o, openAi ? "OPENAI_API_KEY" : null, env);
    if (key == null && openAi) {
      throw new ConfigException(
          spec.type() + " on api.openai.com needs an API key: set the apiKey option or the OPENAI_API_KEY environment variable"
              + " (for vLLM, Ollama and other servers, set url to their OpenAI-compatible base, e.g. http://localhost:11434/v1)");
    }
    checkTransport(spec.type(), url, key, transport);
    HttpEngine engine = new HttpEngine(spec.type(), transport, url, headers(spec.type(), Map.of()), key,
        "Authorization", "Bearer ", openAi ? keyHint("OPENAI_API_KEY") : "the apiKey option");
    return new ChatClient(engine, new ChatClient.Settings(
        model, o.get(ApiOptions.TEMPERATURE), o.optional(ApiOptions.MAX_TOKENS).orElse(null)));
  }

  private static Scorer listwise(RerankerSpec spec, OptionValues o, TransportSettings transport, Function<String, String> env) {
    boolean rankLlm = spec.type().equals("rankllm");
    String model = rankLlm ? RANKLLM_MODELS.getOrDefault(spec.model(), spec.model()) : spec.model();
    int window = o.get(ApiOptions.WINDOW);
    int step = o.get(ApiOptions.STEP);
    if (step > window) {
      throw new ConfigException(
          ApiOptions.STEP.key() + " (" + step + ") must not exceed " + ApiOptions.WINDOW.key() + " (" + window
              + "), or documents between windows would never be compared");
    }
    int maxWords = o.get(ApiOptions.MAX_PASSAGE_WORDS);
    String template = rankLlm ? o.get(ApiOptions.TEMPLATE) : "rank_gpt";
    ListwisePrompt prompt = !rankLlm
        ? new RankGptPrompt(maxWords, spec.lang(), false)
        : template.equals("rank_zephyr")
            ? new RankZephyrPrompt(maxWords, o.get(ApiOptions.CONTEXT_SIZE))
            : new RankGptPrompt(maxWords, spec.lang(), true);
    ChatClient chat = chat(spec, o, transport, env, model);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(chat.url()));
    details.put("window", Integer.toString(window));
    details.put("step", Integer.toString(step));
    details.put("template", template);
    RerankerInfo info = new RerankerInfo(spec.type(), model, "api", null, null, details);
    return new ListwiseScorer(chat, prompt,
        new ListwiseScorer.Settings(window, step, o.optional(CommonOptions.MAX_LENGTH).orElse(null)), info);
  }

  private static Scorer relevanceFilter(RerankerSpec spec, OptionValues o, TransportSettings transport,
      Function<String, String> env) {
    RelevanceFilterScorer.Settings settings = new RelevanceFilterScorer.Settings(
        o.optional(ApiOptions.PROMPT_TEMPLATE).orElse(RelevanceFilterScorer.DEFAULT_PROMPT_TEMPLATE),
        o.get(ApiOptions.DEFAULT_LABEL).equals("RELEVANT"),
        o.get(CommonOptions.BATCH_SIZE),
        o.optional(CommonOptions.MAX_LENGTH).orElse(null));
    ChatClient chat = chat(spec, o, transport, env, spec.model());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("endpoint", HttpEngine.endpointKey(chat.url()));
    details.put("batchSize", Integer.toString(settings.batchSize()));
    RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "api", null, null, details);
    return new RelevanceFilterScorer(chat, settings, info);
  }

  // ---- helpers ----------------------------------------------------------------------------

  /**
   * The key: the apiKey option when set (core checked it), else the environment variable when one
   * is named (checked here), else {@code null}.
   */
  private static Secret key(OptionValues o, String envVar, Function<String, String> env) {
    String option = o.optional(CommonOptions.API_KEY).orElse(null);
    if (option != null) {
      return Secret.checked(option);
    }
    return envVar == null ? null : Secret.fromEnvironment(envVar, env.apply(envVar));
  }

  /**
   * Refuses to send a key in clear text to a host that is not this machine unless {@code
   * allowInsecure=true}: plain http is readable by anyone on the path.
   */
  static void checkTransport(String provider, HttpUrl url, Secret key, TransportSettings transport) {
    if (key == null || url.isHttps() || Origins.isLoopback(url)) {
      return;
    }
    if (!transport.allowInsecure()) {
      throw new ConfigException(
          provider + ": refusing to send the API key in clear text to " + Origins.of(url)
              + " (plain http to a host that is not this machine): use an https url, or set "
              + ALLOW_INSECURE.key() + "=true if the network to that host is trusted");
    }
    LOG.log(Level.WARNING, "{0}: the API key goes in clear text to {1} ({2}=true)",
        provider, Origins.of(url), ALLOW_INSECURE.key());
  }

  /**
   * The request headers besides authentication: the common ones plus the protocol's. okhttp's own
   * check of a header value quotes the value: that message and its exception are never passed on.
   */
  private static Headers headers(String provider, Map<String, String> more) {
    try {
      Headers.Builder h = new Headers.Builder().add("Accept", "application/json").add("User-Agent", USER_AGENT);
      more.forEach(h::add);
      return h.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          provider + ": an option holds a character that HTTP headers cannot carry (only printable ASCII);"
              + " check apiVersion");
    }
  }

  private static String keyHint(String envVar) {
    return "the apiKey option or the " + envVar + " environment variable";
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
