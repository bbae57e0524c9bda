package dev.rerankers.api.internal;

import dev.rerankers.Usage;
import dev.rerankers.api.ApiOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of hosted rerank APIs (REFERENCE.md section 3, and each provider's API reference).
 * Jina, Voyage, Mixedbread, Isaacus and both Cohere versions are rows and nothing else; Pinecone
 * and text-embeddings-inference are rows too, spoken by the small subclasses that hold what their
 * wire format does differently ({@link PineconeProtocol}, {@link TeiProtocol}).
 */
final class RerankApis {
  private RerankApis() {}

  private static final Map<String, Object> NO_DOCUMENTS_BACK = Map.of("return_documents", false);

  /** Cohere v2 ({@code /v2/rerank}): documents as strings, {@code max_tokens_per_doc} from maxLength. */
  static final RerankApi COHERE_V2 = new RerankApi("cohere", 1000, 0,
      RerankApi.Endpoint.bearer("https://api.cohere.com/v2/rerank", "COHERE_API_KEY"),
      new RerankApi.Request("documents", "top_n", "max_tokens_per_doc", null, Map.of()),
      new RerankApi.Answer("results", "relevance_score", cohereUsage()),
      Map.of("apiVersion", "v2"), List.of(ApiOptions.COHERE_API_VERSION));

  /** Cohere v1 ({@code /v1/rerank}, what the Python library calls): the same plus {@code return_documents: false}. */
  static final RerankApi COHERE_V1 = new RerankApi("cohere", 1000, 0,
      RerankApi.Endpoint.bearer("https://api.cohere.com/v1/rerank", "COHERE_API_KEY"),
      new RerankApi.Request("documents", "top_n", null, null, NO_DOCUMENTS_BACK),
      new RerankApi.Answer("results", "relevance_score", cohereUsage()),
      Map.of("apiVersion", "v1"), List.of(ApiOptions.COHERE_API_VERSION));

  static final RerankApi JINA = new RerankApi("jina", 1000, 0,
      RerankApi.Endpoint.bearer("https://api.jina.ai/v1/rerank", "JINA_API_KEY"),
      new RerankApi.Request("documents", "top_n", null, null, NO_DOCUMENTS_BACK),
      new RerankApi.Answer("results", "relevance_score", List.of(Usage.TOKENS, "usage.total_tokens")),
      Map.of(), List.of());

  /**
   * Voyage caps the total tokens of a request (query tokens x documents + document tokens: 300K to
   * 600K by model), so requests are split at an estimated 250K by default.
   */
  static final RerankApi VOYAGE = new RerankApi("voyage", 1000, 250_000,
      RerankApi.Endpoint.bearer("https://api.voyageai.com/v1/rerank", "VOYAGE_API_KEY"),
      new RerankApi.Request("documents", "top_k", null, "truncation", NO_DOCUMENTS_BACK),
      new RerankApi.Answer("data", "relevance_score", List.of(Usage.TOKENS, "usage.total_tokens")),
      Map.of(), List.of(ApiOptions.TRUNCATE.doc("Voyage's truncation of inputs over the model's context; unset: Voyage's default")));

  static final RerankApi MIXEDBREAD = new RerankApi("mixedbread.ai", 1000, 0,
      RerankApi.Endpoint.bearer("https://api.mixedbread.ai/v1/reranking", "MXBAI_API_KEY"),
      new RerankApi.Request("input", "top_k", null, null, Map.of("return_input", false)),
      new RerankApi.Answer("data", "score", List.of(Usage.TOKENS, "usage.total_tokens", Usage.TOKENS, "usage.prompt_tokens")),
      Map.of(), List.of());

  /** Isaacus chunks long texts itself; texts must not be blank. */
  static final RerankApi ISAACUS = new RerankApi("isaacus", 1000, 0,
      RerankApi.Endpoint.bearer("https://api.isaacus.com/v1/rerankings", "ISAACUS_API_KEY"),
      new RerankApi.Request("texts", "top_n", null, null, Map.of()),
      new RerankApi.Answer("results", "score", List.of(Usage.TOKENS, "usage.input_tokens")),
      Map.of(), List.of());

  /**
   * Pinecone: {@code Api-Key} header, documents as {@code [{text}]} (100 per request for
   * pinecone-rerank-v0 and bge-reranker-v2-m3), truncation nested as {@code parameters.truncate}.
   */
  static final RerankApi PINECONE = new RerankApi("pinecone", 100, 0,
      new RerankApi.Endpoint("https://api.pinecone.io/rerank", "PINECONE_API_KEY", true, "Api-Key", ""),
      new RerankApi.Request("documents", "top_n", null, null, NO_DOCUMENTS_BACK),
      new RerankApi.Answer("data", "score", List.of(Usage.RERANK_UNITS, "usage.rerank_units")),
      Map.of(), List.of(ApiOptions.PINECONE_API_VERSION,
          ApiOptions.TRUNCATE.doc("parameters.truncate: END (true) or NONE (false); unset: Pinecone's default")));

  /**
   * Hugging Face text-embeddings-inference: your server ({@code url} required, {@code /rerank}
   * appended), the key optional, 32 texts per request (TEI's default {@code
   * --max-client-batch-size}), the answer a bare array.
   */
  static final RerankApi TEI = new RerankApi("text-embeddings-inference", 32, 0,
      new RerankApi.Endpoint(null, "TEI_API_KEY", false, "Authorization", "Bearer "),
      new RerankApi.Request("texts", null, null, "truncate", Map.of("return_text", false)),
      new RerankApi.Answer(null, "score", List.of()),
      Map.of(), List.of(
          ApiOptions.TRUNCATE.doc("TEI's truncation of inputs over the model's maximum length (its own default rejects them)")
              .defaultValue(true),
          ApiOptions.RAW_SCORES));

  /** Every row, by model type (Cohere by its default version). */
  static final Map<String, RerankApi> BY_TYPE = Map.of(
      "cohere", COHERE_V2, "jina", JINA, "voyage", VOYAGE, "mixedbread.ai", MIXEDBREAD, "pinecone", PINECONE,
      "isaacus", ISAACUS, "text-embeddings-inference", TEI);

  /**
   * Cohere's row: the version named by the option, else v1 when a custom url ends in {@code
   * /v1/rerank}, else v2.
   *
   * @param apiVersion {@code v1}, {@code v2} (as the option parser gives them) or {@code null}
   */
  static RerankApi cohere(String apiVersion, String url) {
    String v = apiVersion != null ? apiVersion.toLowerCase(Locale.ROOT)
        : url != null && url.replaceAll("/+$", "").endsWith("/v1/rerank") ? "v1" : "v2";
    return v.equals("v1") ? COHERE_V1 : COHERE_V2;
  }

  private static List<String> cohereUsage() {
    return List.of(
        Usage.SEARCH_UNITS, "meta.billed_units.search_units",
        Usage.TOKENS, "meta.tokens.input_tokens",
        Usage.TOKENS, "meta.billed_units.input_tokens");
  }
}
