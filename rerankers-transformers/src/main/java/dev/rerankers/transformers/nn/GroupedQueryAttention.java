package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.ConfigException;
import dev.rerankers.transformers.checkpoint.Weights;
import java.util.function.Consumer;

/**
 * Decoder self-attention with grouped-query heads, named as in transformers' Llama family
 * ({@code LlamaAttention}, {@code Qwen2Attention}, {@code Qwen3Attention}, {@code GemmaAttention},
 * {@code Gemma2Attention}, MiniCPM's {@code MiniCPMAttention}): {@code prefix.q_proj}, {@code
 * k_proj}, {@code v_proj}, {@code o_proj}, optionally per-head {@code q_norm}/{@code k_norm}
 * (Qwen3). Rotary embeddings on queries and keys, key/value heads repeated to the query heads,
 * {@code softmax(q kᵀ · scale [soft-capped] + mask) v} with the softmax in fp32, then {@code
 * o_proj}. Long inputs are attended in blocks of query rows so the [B, H, rows, L] score tensor
 * stays near 16 MB (rows are independent; the result is the same). Keys and values of a shared
 * prefix can be computed once and continued ({@link KeyValue}: a decoder ranker's system prompt and
 * query, cached per batch).
 *
 * <p>Immutable; safe to call from several threads.
 */
public final class GroupedQueryAttention {
  /** Score elements per query block (16 MB in fp32): longer inputs are attended block by block. */
  private static final long BLOCK_ELEMENTS = 4L << 20;

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final RmsNorm queryNorm;
  private final RmsNorm keyNorm;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;
  private final float softcap;

  /**
   * The shape and options of one attention block.
   *
   * @param hidden the model width
   * @param heads query heads
   * @param kvHeads key/value heads (divides {@code heads})
   * @param headDim channels per head
   * @param qkvBias whether q/k/v projections have biases (Qwen2; {@code attention_bias})
   * @param outputBias whether o_proj has a bias
   * @param qkNorm whether per-head RMS norms {@code q_norm}/{@code k_norm} follow the projections (Qwen3)
   * @param normEps the epsilon of those norms
   * @param scale the factor on {@code q kᵀ}: {@code headDim^-½}, or Gemma2's {@code query_pre_attn_scalar^-½}
   * @param softcap Gemma2's {@code attn_logit_softcapping} ({@code tanh(s/c)·c}), or 0 for none
   */
  public record Spec(long hidden, int heads, int kvHeads, int headDim, boolean qkvBias, boolean outputBias,
      boolean qkNorm, double normEps, double scale, double softcap) {
    public Spec {
      if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
        throw new ConfigException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
      }
      if (headDim <= 0) {
        throw new ConfigException("head_dim must be positive, got " + headDim);
      }
    }
  }

  private GroupedQueryAttention(Weights w, String p, Spec s) {
    long qOut = (long) s.heads() * s.headDim();
    long kvOut = (long) s.kvHeads() * s.headDim();
    query = linear(w, p + "q_proj", s.hidden(), qOut, s.qkvBias());
    key = linear(w, p + "k_proj", s.hidden(), kvOut, s.qkvBias());
    value = linear(w, p + "v_proj", s.hidden(), kvOut, s.qkvBias());
    output = linear(w, p + "o_proj", qOut, s.hidden(), s.outputBias());
    queryNorm = s.qkNorm() ? RmsNorm.load(w, p + "q_norm", s.headDim(), s.normEps(), false) : null;
    keyNorm = s.qkNorm() ? RmsNorm.load(w, p + "k_norm", s.headDim(), s.normEps(), false) : null;
    heads = s.heads();
    kvHeads = s.kvHeads();
    headDim = s.headDim();
    scale = (float) s.scale();
    softcap = (float) s.softcap();
  }

  /** Loads the block under {@code prefix} (e.g. {@code "model.layers.3.self_attn."}). */
  public static GroupedQueryAttention load(Weights w, String prefix, Spec spec) {
    return new GroupedQueryAttention(w, prefix, spec);
  }

  /**
   * Keys and values of earlier positions, as one layer caches them: keys after the rotary
   * embedding, both before the key/value heads are repeated, [1 or B, kvHeads, P, headDim].
   *
   * @param keys the rotated keys
   * @param values the values
   */
  public record KeyValue(NDArray keys, NDArray values) {
    /** The number of cached positions P. */
    public long length() {
      return keys.getShape().get(2);
    }
  }

  /**
   * Attends over {@code x} [B, L, hidden].
   *
   * @param additiveMask [B, 1, L, L] from {@link CausalMask}
   * @param cos rotary table [L, headDim]
   * @param sin rotary table [L, headDim]
   * @return the projected output [B, L, hidden], in x's manager
   */
  public NDArray forward(NDArray x, NDArray additiveMask, NDArray cos, NDArray sin) {
    return forward(x, additiveMask, cos, sin, null, null);
  }

  /**
   * Attends over {@code x} [B, L, hidden] continuing cached positions: the queries of {@code x}
   * see the {@code past} keys (shared by every row) and then their own.
   *
   * @param additiveMask [B, 1, L, P + L] from {@link CausalMask#of(NDArray, int, int, DataType)}
   *     ([B, 1, L, L] without a past)
   * @param cos rotary table of x's positions, [L, headDim] or [B, 1, L, headDim]
   * @param sin rotary table of x's positions
   * @param past keys and values [1 or B, kvHeads, P, headDim] of the P positions before x, or null
   * @param sink receives x's own keys and values (for a later call's {@code past}), or null
   * @return the projected output [B, L, hidden], in x's manager
   */
  public NDArray forward(NDArray x, NDArray additiveMask, NDArray cos, NDArray sin, KeyValue past,
      Consumer<KeyValue> sink) {
    Shape s = x.getShape();
    long b = s.get(0);
    long len = s.get(1);
    NDArray q = query.forward(x).reshape(b, len, heads, headDim);
    NDArray k = key.forward(x).reshape(b, len, kvHeads, headDim);
    NDArray v = value.forward(x).reshape(b, len, kvHeads, headDim);
    if (queryNorm != null) {
      q = queryNorm.forward(q);
      k = keyNorm.forward(k);
    }
    q = Rotary.apply(q.transpose(0, 2, 1, 3), cos, sin);
    k = Rotary.apply(k.transpose(0, 2, 1, 3), cos, sin);
    v = v.transpose(0, 2, 1, 3);
    if (sink != null) {
      sink.accept(new KeyValue(k, v));
    }
    if (past != null) {
      k = withPast(past.keys(), k, b);
      v = withPast(past.values(), v, b);
    }
    k = repeatKv(k);
    v = repeatKv(v);
    // fp32 without soft-capping: torch's fused kernel (FusedAttention), else the eager formula
    NDArray keysT = softcap == 0 && FusedAttention.usable(q, k, v, additiveMask) ? null : k.transpose(0, 1, 3, 2);
    NDArray keysOrT = keysT == null ? k : keysT;
    long keys = k.getShape().get(2);
    long rows = Math.max(1, BLOCK_ELEMENTS / Math.max(1, b * heads * keys));
    if (rows >= len) {
      return output.forward(Attention.mergeHeads(attend(q, keysOrT, keysT == null, v, additiveMask)));
    }
    // long inputs: queries in blocks, so the [B, H, rows, keys] scores stay small (rows are independent)
    NDList blocks = new NDList();
    for (long r = 0; r < len; r += rows) {
      NDIndex index = new NDIndex(":, :, {}:{}, :", r, Math.min(len, r + rows));
      blocks.add(attend(q.get(index), keysOrT, keysT == null, v, additiveMask.get(index)));
    }
    NDArray context = NDArrays.concat(blocks, 2);
    blocks.close();
    return output.forward(Attention.mergeHeads(context));
  }

  /** [1 or B, kv, P, d] cached and [B, kv, L, d] new → [B, kv, P + L, d]. */
  private static NDArray withPast(NDArray cached, NDArray fresh, long b) {
    Shape c = cached.getShape();
    NDArray all = c.get(0) == b ? cached : cached.broadcast(new Shape(b, c.get(1), c.get(2), c.get(3)));
    return all.concat(fresh, 2);
  }

  /** Query heads. */
  public int heads() {
    return heads;
  }

  /** Key/value heads. */
  public int kvHeads() {
    return kvHeads;
  }

  /**
   * {@code softmax(q kᵀ · scale [capped] + mask) v} for a block of query rows; {@code keys} are k
   * for the fused kernel, kᵀ for the eager formula.
   */
  private NDArray attend(NDArray q, NDArray keys, boolean fused, NDArray v, NDArray mask) {
    if (fused) {
      return FusedAttention.attend(q, keys, v, mask, scale);
    }
    NDArray keysT = keys;
    // the scores are the big tensors: scaled, capped and masked in place, each new one freed as
    // soon as the next exists
    NDArray scores = q.matMul(keysT);
    scores.muli(scale);
    if (softcap > 0) {
      scores.divi(softcap);
      NDArray capped = scores.tanh();
      scores.close();
      scores = capped.muli(softcap);
    }
    scores.addi(mask);
    NDArray weights;
    if (scores.getDataType() != DataType.FLOAT32) {
      NDArray wide = scores.toType(DataType.FLOAT32, false);
      scores.close();
      NDArray soft = wide.softmax(-1);
      wide.close();
      weights = soft.toType(q.getDataType(), false);
      soft.close();
    } else {
      weights = scores.softmax(-1);
      scores.close();
    }
    NDArray context = weights.matMul(v);
    weights.close();
    return context;
  }

  /** [B, kv, L, d] → [B, heads, L, d], each key/value head repeated for its group of query heads. */
  private NDArray repeatKv(NDArray x) {
    if (kvHeads == heads) {
      return x;
    }
    Shape s = x.getShape();
    int rep = heads / kvHeads;
    return x.expandDims(2).broadcast(new Shape(s.get(0), kvHeads, rep, s.get(2), s.get(3)))
        .reshape(s.get(0), heads, s.get(2), s.get(3));
  }

  private static Linear linear(Weights w, String prefix, long in, long out, boolean bias) {
    return new Linear(w.get(prefix + ".weight", out, in), bias ? w.get(prefix + ".bias", out) : null);
  }
}
