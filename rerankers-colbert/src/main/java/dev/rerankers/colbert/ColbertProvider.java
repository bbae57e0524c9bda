package dev.rerankers.colbert;

import dev.rerankers.RerankerSpec;
import dev.rerankers.colbert.internal.ColbertLoader;
import dev.rerankers.colbert.internal.PylateLoader;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import java.util.Set;

/**
 * The late-interaction backend: {@code colbert} (Python rerankers' ColBERTRanker recipe on
 * ColBERTv2-style checkpoints: colbert-ir/colbertv2.0, FraColBERTv2, JaColBERTv2,
 * answerai-colbert-small) and {@code pylate} (PyLate models such as lightonai/GTE-ModernColBERT-v1,
 * in the sentence-transformers layout, or Stanford checkpoints as PyLate reads them). Encoders come
 * from rerankers-transformers; scores are MaxSim over L2-normalised token vectors. Found by {@link
 * java.util.ServiceLoader}; use {@code Reranker.load("colbert")} or {@code Reranker.load("pylate")}.
 *
 * <p>Options beyond the common ones ({@code device}, {@code dtype}, {@code batchSize} default 32,
 * {@code maxLength}: the document length in tokens, by default {@code max_position_embeddings − 2}
 * for colbert and the model's {@code document_length} for pylate):
 *
 * <ul>
 *   <li>{@value #CACHE_MB}: the document-vector cache budget in MiB (default 256, 0 disables it);
 *   <li>{@value #PROJECTION} (colbert): the projection weight's key when it is none of the usual
 *       ones;
 *   <li>{@value #QUERY_TOKEN}, {@value #DOCUMENT_TOKEN} (colbert): the marker tokens (default
 *       {@code [unused0]}, {@code [unused1]}, as Python's {@code query_token}/{@code
 *       document_token});
 *   <li>{@value #QUERY_LENGTH} (pylate): overrides the model's {@code query_length}.
 * </ul>
 *
 * <p>Each call reports in {@code RankedResults.usage()} how many distinct documents it encoded
 * ({@code encoded_documents}) and took from the cache ({@code cached_documents}). See
 * docs/colbert.md.
 */
public final class ColbertProvider implements RerankerProvider {
  /** Option: the document cache budget in MiB (0 disables the cache). */
  public static final String CACHE_MB = "cacheMb";
  /** Option (colbert): the projection weight's key. */
  public static final String PROJECTION = "projection";
  /** Option (colbert): the query marker token. */
  public static final String QUERY_TOKEN = "queryToken";
  /** Option (colbert): the document marker token. */
  public static final String DOCUMENT_TOKEN = "documentToken";
  /** Option (pylate): the query length in tokens. */
  public static final String QUERY_LENGTH = "queryLength";

  @Override
  public String name() {
    return "colbert";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("colbert", "pylate");
  }

  @Override
  public Set<String> optionKeys(String modelType) {
    return "pylate".equals(modelType)
        ? Set.of(CACHE_MB, QUERY_LENGTH)
        : Set.of(CACHE_MB, PROJECTION, QUERY_TOKEN, DOCUMENT_TOKEN);
  }

  @Override
  public Scorer create(RerankerSpec spec) {
    return "pylate".equals(spec.type()) ? PylateLoader.load(spec) : ColbertLoader.load(spec);
  }
}
