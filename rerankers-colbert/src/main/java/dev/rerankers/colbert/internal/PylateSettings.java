package dev.rerankers.colbert.internal;

import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.graph.GraphRuntime;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a {@code pylate} load takes from its options, parsed and checked once by core. Lengths left
 * empty come from the checkpoint's files, else PyLate's defaults.
 *
 * @param batchSize documents per encoder batch
 * @param cacheBytes the document-vector cache budget (0: no cache)
 * @param placement device and dtype
 * @param documentLength overrides the model's {@code document_length}
 * @param queryLength overrides the model's {@code query_length}
 * @param graph eager libtorch or the recorded ONNX graph ({@code runtime}, {@code quantize}, ...)
 */
public record PylateSettings(int batchSize, long cacheBytes, Placement placement, OptionalInt documentLength,
    OptionalInt queryLength, GraphRuntime graph) {

  public PylateSettings {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(documentLength, "documentLength");
    Objects.requireNonNull(queryLength, "queryLength");
  }
}
