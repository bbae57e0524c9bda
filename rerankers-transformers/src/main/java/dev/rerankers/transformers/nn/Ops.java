package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tensor operations the encoder blocks are written against, so that one model definition runs
 * two ways: {@link EagerOps} computes on DJL NDArrays now (values are {@code NDArray}), and the
 * graph recorder ({@code graph.GraphOps}) writes the same calls into an ONNX graph (values are
 * symbolic). Weights are always the blocks' own {@code NDArray}s: eager uses them, the recorder
 * turns them into graph initializers.
 *
 * <p>Operations are as coarse as a fused kernel where one exists ({@link #attention}, {@link
 * #addLayerNorm}, {@link #activation}): eager runs today's composition of NDArray ops, the recorder
 * emits ONNX Runtime's fused operator. Activations are {@code [batch, length, features]} unless
 * stated; ids and masks are int64 {@code [batch, length]}.
 *
 * @param <T> the value type: {@code NDArray} for eager, a graph value for the recorder
 */
public interface Ops<T> {

  /** Positions {@code 0..L-1} as int64 {@code [1, L]} for ids {@code [B, L]}. */
  T positions(T ids);

  /** int64 zeros shaped like {@code ids}. */
  T zerosLike(T ids);

  /** int64 {@code 1} where {@code ids != value}, else {@code 0}. */
  T notEqual(T ids, long value);

  /** Cumulative sum along {@code axis} (int64). */
  T cumSum(T x, int axis);

  /** {@code a + b} with broadcasting. */
  T add(T a, T b);

  /** {@code x + value} (int64 values). */
  T add(T x, long value);

  /** {@code a * b} with broadcasting. */
  T mul(T a, T b);

  /** {@code x * value} (float values). */
  T mul(T x, float value);

  /** {@code x} in the compute dtype: a no-op when it already is. */
  T cast(T x, DataType type);

  /** Rows of {@code table} ({@code [num, dim]}) looked up by int64 ids: {@code ids.shape + [dim]}. */
  T embedding(T ids, NDArray table);

  /** {@code x Wᵀ + b} over the last dimension ({@code bias} may be null). */
  T linear(T x, NDArray weight, NDArray bias);

  /** Layer norm over the last dimension. */
  T layerNorm(T x, NDArray gamma, NDArray beta, float eps);

  /** {@code layerNorm(x + residual)}: ONNX Runtime's {@code SkipLayerNormalization}. */
  T addLayerNorm(T x, T residual, NDArray gamma, NDArray beta, float eps);

  /** An activation; {@code gelu(linear(x))} becomes {@code BiasGelu} in a graph. */
  T activation(T x, Activation act);

  /**
   * The padding mask in the form this backend's {@link #attention} takes, from a {@code [B, L]}
   * attention mask (1 = token): eager an additive {@code [B, 1, 1, L]} mask in {@code type}, the
   * recorder the raw int32 mask.
   */
  T paddingMask(T attentionMask, DataType type);

  /**
   * Multi-head scaled dot-product attention on merged heads: {@code q, k, v} are {@code [B, L,
   * heads·d]}, the result too. {@code softmax(q kᵀ · scale + bias + mask) v} per head, softmax in
   * fp32. {@code bias} ({@code [B or 1, heads, L, L]}, may be null) is added before the mask. When
   * q, k and v are linear projections of one input, a graph fuses them (ONNX Runtime's {@code
   * Attention}).
   */
  T attention(T q, T k, T v, T bias, T mask, int heads, float scale);

  /**
   * Padding plus a band, in the form {@link #attention} takes: key j is allowed for query i only
   * when it is a token and {@code |i - j| <= halfWindow} (ModernBERT's local attention). Eager an
   * additive {@code [B, 1, L, L]} mask as {@link AttentionMask#paddingAndBand}; the recorder the
   * same additive mask, computed in the graph.
   */
  T bandMask(T attentionMask, int halfWindow, DataType type);

  /** {@code hidden * attentionMask[..., None]}: zeroes the padding rows (DeBERTa's embeddings). */
  T zeroPadding(T hidden, T attentionMask);

  /** {@code x} split into {@code parts} equal pieces along the last dimension. */
  List<T> split(T x, int parts);

  /**
   * Rotary position embeddings on merged heads: {@code x} is {@code [B, L, heads·d]}, positions
   * {@code 0..L-1}; {@code maxPositions} bounds L (a graph stores cos/sin tables that long).
   */
  T rotary(T x, int heads, Rotary rotary, int maxPositions);

  /**
   * Per-head products with constant keys: {@code splitHeads(x) · splitHeads(keys)ᵀ}, x {@code [B,
   * L, heads·d]}, keys {@code [1, W, heads·d]} → {@code [B, heads, L, W]} (DeBERTa's content-to-
   * position scores against its projected relative embeddings). {@code keysByHead} is the same
   * data as the view {@code splitHeads(keys)ᵀ}, {@code [1, heads, d, W]}, made once at load: eager
   * multiplies by it, a graph stores it from the contiguous {@code keys}.
   */
  T headsMatMul(T x, NDArray keys, NDArray keysByHead, int heads);

  /**
   * Relative-position gather on {@code x [B, H, L, W]}: {@code out[b, h, i, j] = x[b, h, i,
   * index[clamp(i - j, -radius, radius) + radius]]}, {@code index} of length {@code 2·radius + 1}
   * (DeBERTa's c2p/p2c lookups; the clamp is exact when the index saturates beyond the radius).
   */
  T gatherRelative(T x, long[] index, int radius);

  /** Swaps the last two dimensions. */
  T transposeLast(T x);

  /**
   * {@code x / max(||x||, 1e-12)} over the last dimension, in fp32 ({@code
   * torch.nn.functional.normalize}).
   */
  T l2Normalize(T x);

  /** The first position of each row: {@code [B, L, H] → [B, H]}. */
  T firstToken(T hidden);

  /** The mean over positions where {@code attentionMask} is 1: {@code [B, L, H] → [B, H]}. */
  T meanPool(T hidden, T attentionMask);

  /**
   * Runs one layer; eager frees the layer's intermediates when it returns ({@link Scope}), the
   * recorder just records it. {@code borrowed}: other values the step reads (nulls allowed).
   */
  T layer(T input, UnaryOperator<T> step, List<T> borrowed);
}
