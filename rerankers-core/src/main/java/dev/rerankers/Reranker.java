package dev.rerankers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Ranks documents for a query with any kind of reranker: local cross-encoders, T5, ONNX, ColBERT,
 * decoder-LLM and image rankers, or hosted APIs. Get one with {@link #load(String)} or {@link
 * #builder(String)}; the backend is found on the classpath by model type.
 *
 * <pre>{@code
 * try (Reranker ranker = Reranker.load("cross-encoder")) {          // family default, inferred type
 *   RankedResults r = ranker.rank("I love you", List.of("I hate you", "I really like you"));
 *   r.topK(1).get(0).text();                                        // "I really like you"
 * }
 * Reranker.load("colbert:colbert-ir/colbertv2.0?batchSize=32&device=cpu");   // a config string
 * Reranker.builder("BAAI/bge-reranker-v2-m3").type("cross-encoder").dtype("fp16").build();
 * }</pre>
 *
 * <p>Config strings have the form {@code [type:]model[?key=value&...]}; keys are the {@link Builder}
 * setter names plus backend-specific ones, values are URL-decoded. Type inference follows the
 * Python {@code rerankers} library (see {@code docs/naming-and-type-inference.md}).
 *
 * <p>Results are sorted by descending score, ties in input order, ranks 1..n; every document comes
 * back exactly once with its id and metadata untouched. Rankers are safe to call from several
 * threads unless their backend's documentation says otherwise. Close a ranker to free its model.
 *
 * <p>Java cannot overload {@code rank(String, List<String>)} with {@code rank(String,
 * List<Document>)} (both erase to {@code rank(String, List)}), so documents go to {@link
 * #rankDocuments}.
 */
public interface Reranker extends AutoCloseable {

  /**
   * Ranks documents for a query. Documents without ids get their position (0..n-1) as id; ids must
   * be all set or all unset, and unique.
   *
   * @throws IllegalArgumentException for a null query, list or element, mixed or duplicate ids, or
   *     image documents given to a text ranker
   * @throws RerankerException when the backend fails
   */
  RankedResults rankDocuments(String query, List<Document> documents);

  /**
   * Ranks several queries, each with its own documents, in one call: one result per request, in
   * order, each exactly as {@link #rankDocuments} would give it. Pointwise local backends
   * (cross-encoder, T5, ONNX, LLM rankers) share forward passes between the queries, so many small
   * requests cost about what one large one does; other backends rank them one by one.
   *
   * @throws IllegalArgumentException as {@link #rankDocuments}, naming the request's position
   */
  default List<RankedResults> rankAll(List<RankRequest> requests) {
    if (requests == null) {
      throw new IllegalArgumentException("requests is null");
    }
    List<RankedResults> out = new ArrayList<>(requests.size());
    for (RankRequest r : requests) {
      out.add(rankDocuments(r.query(), r.documents()));
    }
    return out;
  }

  /**
   * Whether {@link #rankAll} shares forward passes between queries (pointwise local backends), so
   * that coalescing concurrent requests into one {@code rankAll} call saves work; false when it
   * ranks them one by one (hosted APIs, dense bi-encoders, fallbacks). A server uses this to choose
   * between batching requests and running them side by side.
   */
  default boolean sharesBatchesAcrossQueries() {
    return false;
  }

  /** Ranks texts for a query; ids are 0..n-1 in input order. */
  default RankedResults rank(String query, List<String> texts) {
    if (texts == null) {
      throw new IllegalArgumentException("docs is null");
    }
    return rank(query, texts, null, null);
  }

  /**
   * Ranks texts with the caller's ids and metadata.
   *
   * @param ids one id per text ({@code String}, {@code Integer} or {@code Long}), or {@code null}
   *     for 0..n-1
   * @param metadata one map per text (a {@code null} element means none), or {@code null}
   */
  default RankedResults rank(
      String query, List<String> texts, List<?> ids, List<? extends Map<String, ?>> metadata) {
    return rankDocuments(query, toDocuments(texts, ids, metadata));
  }

  /**
   * The score of one document for the query, as {@link #rank} would give it (not Python's
   * {@code score}, which scored the two texts separately).
   *
   * @throws UnsupportedOperationException for rankers that only order documents (RankGPT)
   */
  default double score(String query, String document) {
    if (document == null) {
      throw new IllegalArgumentException("doc is null");
    }
    Result r = rankDocuments(query, List.of(Document.of(document))).get(0);
    if (!r.hasScore()) {
      throw new UnsupportedOperationException(
          info().label() + " orders documents without scoring them; use rank(...) instead");
    }
    return r.score();
  }

  /**
   * Ranks documents asynchronously on the ranker's own executor (HTTP backends use non-blocking
   * calls instead). Bad arguments throw at once rather than failing the future.
   */
  CompletableFuture<RankedResults> rankAsync(String query, List<Document> documents);

  /** Ranks documents asynchronously, running blocking work on the given executor. */
  CompletableFuture<RankedResults> rankAsync(
      String query, List<Document> documents, Executor executor);

  /** What was loaded: type, model, backend, device and dtype. */
  RerankerInfo info();

  /** Frees the model (and stops the async executor). Idempotent; later calls to rank fail. */
  @Override
  void close();

  /**
   * Loads a ranker from a config string: a model id or local path ({@code
   * "BAAI/bge-reranker-v2-m3"}), a family name ({@code "colbert"}, {@code "cohere"}), optionally
   * prefixed with a type and followed by options: {@code
   * "cross-encoder:/models/my-ce?batchSize=32&maxLength=256"}.
   *
   * @throws ConfigException for a malformed string or an unknown key (the message quotes it)
   * @throws BackendNotFoundException when the backend module for the type is not on the classpath
   */
  static Reranker load(String spec) {
    return SpecParser.parse(spec).build();
  }

  /** A builder for a model id, local path or family name. */
  static Builder builder(String model) {
    return new Builder(model);
  }

  /**
   * Resolves a config string without loading anything: which model and type it means, which
   * backend serves it, with which options.
   */
  static RerankerSpec resolve(String spec) {
    return SpecParser.parse(spec).resolve();
  }

  /**
   * Loads a ranker from properties: {@code rerankers.spec} holds a config string and any other
   * {@code rerankers.<key>} entry sets that option, so an application switches backends in its
   * configuration file.
   */
  static Reranker fromProperties(Properties properties) {
    return fromProperties(properties, "rerankers");
  }

  /** Like {@link #fromProperties(Properties)} with another key prefix ({@code prefix.spec}). */
  static Reranker fromProperties(Properties properties, String prefix) {
    return SpecParser.fromProperties(properties, prefix).build();
  }

  /**
   * Loads a ranker from the config string in an environment variable, e.g. {@code
   * fromEnvironment("RERANKERS_SPEC")}.
   */
  static Reranker fromEnvironment(String variable) {
    return SpecParser.fromEnvironment(variable, System::getenv).build();
  }

  /**
   * A ranker that asks {@code primary} first and, when it fails with a {@link RerankerException}
   * (an outage, a rate limit, a timeout), answers with {@code fallback}. {@link
   * RankedResults#answeredBy()} says which one answered. Bad arguments are not retried. Closing it
   * closes both.
   */
  static Reranker withFallback(Reranker primary, Reranker fallback) {
    return new FallbackReranker(primary, fallback);
  }

  private static List<Document> toDocuments(
      List<String> texts, List<?> ids, List<? extends Map<String, ?>> metadata) {
    if (texts == null) {
      throw new IllegalArgumentException("docs is null");
    }
    if (ids != null && ids.size() != texts.size()) {
      throw new IllegalArgumentException(
          "ids has " + ids.size() + " elements but docs has " + texts.size());
    }
    if (metadata != null && metadata.size() != texts.size()) {
      throw new IllegalArgumentException(
          "metadata has " + metadata.size() + " elements but docs has " + texts.size());
    }
    List<Document> docs = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new IllegalArgumentException("docs[" + i + "] is null");
      }
      Object id = ids == null ? null : ids.get(i);
      if (ids != null && id == null) {
        throw new IllegalArgumentException("ids[" + i + "] is null");
      }
      try {
        Document.checkId(id);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ids[" + i + "]: " + e.getMessage(), e);
      }
      Map<String, ?> meta = metadata == null ? null : metadata.get(i);
      docs.add(Document.of(id, text, meta));
    }
    return docs;
  }

  /**
   * Options for {@link Reranker#builder(String)}: required values go to the factory, optional ones
   * through the setters, each validated when set. {@link #build()} loads; {@link #resolve()} only
   * decides. Builders are not thread-safe; the rankers they build are independent of them.
   */
  final class Builder {
    private final String model;
    private String type;
    private final LinkedHashMap<String, String> options = new LinkedHashMap<>();

    Builder(String model) {
      if (model == null || model.isBlank()) {
        throw new ConfigException("model must be a model id, local path or family name, got '" + model + "'");
      }
      this.model = model.strip();
    }

    /** Pins the model type ({@code "cross-encoder"}, {@code "t5"}, {@code "cohere"}, ...), skipping inference. */
    public Builder type(String modelType) {
      this.type = SpecOptions.checkType(modelType);
      return this;
    }

    /** The language for family defaults ({@code "en"} by default; families fall back to {@code "other"}). */
    public Builder lang(String lang) {
      return put(RerankerSpec.LANG, SpecOptions.checkLang(lang));
    }

    /**
     * The API key for hosted rankers (else read from the provider's environment variable). Never
     * logged; shown masked ({@code pc-L…(38 chars)}, see {@link Credentials}). Checked here: printable
     * ASCII with no space at its ends (a trailing line break or no-break space from copy-paste is
     * reported, not sent).
     */
    public Builder apiKey(String apiKey) {
      return put(RerankerSpec.API_KEY, Credentials.check(RerankerSpec.API_KEY, apiKey));
    }

    /** A custom endpoint URL (proxies, self-hosted servers, text-embeddings-inference). */
    public Builder url(String url) {
      return put(RerankerSpec.URL, SpecOptions.checkUrl(url));
    }

    /** {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (GPU when available). */
    public Builder device(String device) {
      return put(RerankerSpec.DEVICE, SpecOptions.checkDevice(device));
    }

    /** {@code fp32}, {@code fp16} or {@code bf16} (also {@code float32}, {@code float16}, {@code bfloat16}). */
    public Builder dtype(String dtype) {
      return put(RerankerSpec.DTYPE, SpecOptions.checkDtype(dtype));
    }

    /** Documents per forward pass or per request; at least 1. */
    public Builder batchSize(int batchSize) {
      return put(RerankerSpec.BATCH_SIZE, Integer.toString(SpecOptions.checkPositive(RerankerSpec.BATCH_SIZE, batchSize)));
    }

    /** The maximum input length in tokens; at least 1. */
    public Builder maxLength(int maxLength) {
      return put(RerankerSpec.MAX_LENGTH, Integer.toString(SpecOptions.checkPositive(RerankerSpec.MAX_LENGTH, maxLength)));
    }

    /** The Hub revision (branch, tag or commit) to load. */
    public Builder revision(String revision) {
      return put(RerankerSpec.REVISION, SpecOptions.checkNotBlank(RerankerSpec.REVISION, revision));
    }

    /**
     * Sets any option by its config-string key. Common keys are validated as their setters do;
     * backend-specific keys are checked against the backend when the ranker is built.
     */
    public Builder option(String key, String value) {
      SpecOptions.apply(this, key, value);
      return this;
    }

    Builder put(String key, String value) {
      options.put(key, value);
      return this;
    }

    String model() {
      return model;
    }

    String type() {
      return type;
    }

    Map<String, String> options() {
      return options;
    }

    /** Decides model, type and backend without loading anything. */
    public RerankerSpec resolve() {
      return Loader.resolve(this);
    }

    /** Resolves and loads the ranker. */
    public Reranker build() {
      return Loader.load(resolve());
    }

    @Override
    public String toString() {
      return "Reranker.Builder[model=" + Credentials.maskConfigString(model) + ", type=" + type + ", options=" + Credentials.maskOptions(options) + "]";
    }
  }
}
