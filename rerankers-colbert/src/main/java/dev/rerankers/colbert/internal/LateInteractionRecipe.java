package dev.rerankers.colbert.internal;

import dev.rerankers.tokenizers.Encoding;
import java.util.List;
import java.util.Map;

/**
 * How one late-interaction family turns texts into model inputs and token similarities into a
 * score: rerankers' ColBERT recipe ({@link ColbertRecipe}) or PyLate's ({@link PylateRecipe}).
 * Implementations are immutable and thread-safe.
 *
 * <p>Documents go through two steps so that cached vectors can be reused: {@link #tokenize} gives
 * each text's tokens independent of the other candidates, then {@link #variants} says, for the
 * whole candidate set, which input each document needs (ColBERT truncates by the set's longest
 * document; PyLate never depends on the set), and {@link #document} builds that input.
 */
public interface LateInteractionRecipe {

  /** The model type, {@code "colbert"} or {@code "pylate"}. */
  String type();

  /** The query's model input. */
  TokenRow query(String query);

  /** What the summed token maxima are divided by for this query row. */
  double divisor(TokenRow query);

  /** Each document's tokens before any set-dependent truncation, in input order. */
  List<Encoding> tokenize(List<String> texts);

  /**
   * The input variant each document needs in this candidate set, from every candidate's {@link
   * Encoding#length()}; vectors cached under another variant must be recomputed.
   */
  int[] variants(int[] lengths);

  /** A document's model input for a variant. */
  TokenRow document(Encoding tokens, int variant);

  /**
   * Whether a document with fewer vectors than the set's longest also gets 0 as a candidate
   * maximum for every query vector (PyLate's rerank pads the document vectors with zeros and does
   * not mask them).
   */
  boolean zeroPadded();

  /** Settings worth showing in {@code RerankerInfo.details()}. */
  Map<String, String> details();
}
