package dev.rerankers.colbert.internal;

import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.graph.GraphRuntime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@code colbert} load takes from its options, parsed and checked once by core.
 *
 * @param batchSize documents per encoder batch
 * @param cacheBytes the document-vector cache budget (0: no cache)
 * @param placement device and dtype
 * @param documentLength the document length in tokens, markers included (empty: {@code
 *     max_position_embeddings − 2})
 * @param projection the projection weight's key (empty: the one usual key present)
 * @param queryToken the query marker token
 * @param documentToken the document marker token
 * @param graph eager libtorch or the recorded ONNX graph ({@code runtime}, {@code quantize}, ...)
 */
public record ColbertSettings(int batchSize, long cacheBytes, Placement placement, OptionalInt documentLength,
    Optional<String> projection, String queryToken, String documentToken, GraphRuntime graph) {

  public ColbertSettings {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(documentLength, "documentLength");
    Objects.requireNonNull(projection, "projection");
    Objects.requireNonNull(queryToken, "queryToken");
    Objects.requireNonNull(documentToken, "documentToken");
  }
}
