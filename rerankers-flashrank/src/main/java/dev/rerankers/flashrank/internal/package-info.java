/**
 * Plumbing of rerankers-flashrank. Not API: no compatibility promise.
 *
 * <ul>
 *   <li>Options: {@link dev.rerankers.flashrank.internal.DeclaredOptions} declares them; each
 *       loader takes one settings record built once from the checked values ({@link
 *       dev.rerankers.flashrank.internal.OnnxCrossEncoderSettings}, {@link
 *       dev.rerankers.flashrank.internal.FlashRankSettings}, {@link
 *       dev.rerankers.flashrank.internal.DenseSettings}) and never reads the spec's options.
 *   <li>Running: {@code OnnxEncoder} (tokenizer, ONNX Runtime
 *       session through DJL, config.json limits), {@code OnnxFiles} (which .onnx file).
 *   <li>Scoring: the one cross-encoder path ({@link
 *       dev.rerankers.flashrank.internal.OnnxCrossEncoderLoader}, {@link
 *       dev.rerankers.flashrank.internal.OnnxCrossEncoderScorer}, {@link
 *       dev.rerankers.flashrank.internal.ScoreRule}) for {@code flashrank} and {@code
 *       onnx-cross-encoder}; the dense ranker and its embedding cache.
 *   <li>Files: the FlashRank catalogue download, safe unzip, once-filled folders, the bundled
 *       MiniLM.
 * </ul>
 *
 * <p>Nothing here imports {@code FlashRankProvider} (ArchitectureTest checks it).
 */
package dev.rerankers.flashrank.internal;
