package dev.rerankers.llmlayerwise.internal;

import java.util.List;

/**
 * BAAI's cutoff and compression parameters for a layerwise checkpoint.
 *
 * @param cutoffLayers layers whose heads score (empty: the last layer); the deepest gives the score
 * @param compressRatio passage tokens averaged into one (1: no compression)
 * @param compressLayers layers before which passages are compressed
 */
public record LayerwiseParams(List<Integer> cutoffLayers, int compressRatio, List<Integer> compressLayers) {

  public LayerwiseParams {
    cutoffLayers = List.copyOf(cutoffLayers);
    compressLayers = List.copyOf(compressLayers);
    if (compressRatio < 1) {
      throw new IllegalArgumentException("compressRatio must be >= 1, got " + compressRatio);
    }
  }

  /** BAAI's own defaults: the last layer, no compression. */
  static LayerwiseParams lastLayer() {
    return new LayerwiseParams(List.of(), 1, List.of());
  }
}
