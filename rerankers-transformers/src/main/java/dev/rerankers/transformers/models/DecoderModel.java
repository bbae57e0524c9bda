package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.ConfigException;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.CausalMask;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.GroupedQueryAttention;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.RmsNorm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer (transformers' {@code GemmaModel}, {@code Gemma2Model}, {@code
 * Qwen2Model}, {@code Qwen3Model}; OpenBMB's {@code MiniCPMModel}), eager attention on a padded
 * batch without a KV cache: scaled token embeddings, pre-norm layers of grouped-query attention
 * and a gated MLP (Gemma2 adds post-attention and pre/post-feed-forward norms; MiniCPM scales each
 * block's output before the residual add), a final RMS norm.
 *
 * <p>Weights under {@code base + "embed_tokens"}, {@code base + "layers.N."} ({@code
 * self_attn.{q,k,v,o}_proj}, {@code mlp.{gate,up,down}_proj}, {@code input_layernorm}, {@code
 * post_attention_layernorm}, Gemma2's {@code pre_feedforward_layernorm} and {@code
 * post_feedforward_layernorm}), {@code base + "norm"}; {@code base} is {@code "model."} in Hub
 * checkpoints.
 *
 * <p>Besides a full {@link #forward}, the layers can be driven one by one ({@link #embed}, {@link
 * #context}, {@link #layer}, {@link #norm}) so a ranker can stop early or rewrite the sequence
 * between layers. A prefix shared by every row (a ranker's system prompt and query) can be run once
 * ({@link #prefill}) and the rows continued from its cached keys and values ({@link
 * #context(NDArray, PrefixCache)}).
 *
 * <p>On the CPU the position-wise feed-forward runs in chunks of tokens whose intermediate stays
 * under a budget ({@link CpuPasses#DEFAULT_BUDGET_BYTES}; {@link Context#withCpuBudget}): one row
 * of a 2B model's MLP at 512 tokens already takes 18 MiB, and fresh allocations that large cost
 * more in page faults than the matmuls they feed. Tokens are independent there, so the result is
 * the same. {@link #activationBytesPerRow} tells a scorer how many rows one pass may take.
 *
 * <p>Immutable after loading; safe to call from several threads. Every intermediate lives in the
 * manager of the inputs.
 */
public final class DecoderModel {
  private final DecoderConfig config;
  private final Embedding embeddings;
  private final List<Layer> layers;
  private final RmsNorm norm;
  private final DataType dtype;
  private final long defaultBudget;

  private DecoderModel(Weights w, String base, DecoderConfig c, int layerCount) {
    this.config = c;
    this.dtype = w.placement().dtype();
    this.defaultBudget = CpuPasses.budgetBytes(w.placement());
    long h = c.hiddenSize();
    embeddings = Embedding.load(w, base + "embed_tokens", c.vocabSize(), h);
    Activation act = Activation.of(c.hiddenAct());
    List<Layer> list = new ArrayList<>(layerCount);
    for (int i = 0; i < layerCount; i++) {
      list.add(new Layer(w, base + "layers." + i + ".", c, i, act));
    }
    layers = Collections.unmodifiableList(list);
    norm = RmsNorm.load(w, base + "norm", h, c.rmsNormEps(), c.normOffsetOne());
  }

  /** Loads every layer under {@code base} ({@code "model."} in Hub checkpoints). */
  public static DecoderModel load(Weights w, String base, DecoderConfig config) {
    return new DecoderModel(w, base, config, config.numHiddenLayers());
  }

  /**
   * Loads the first {@code layers} layers only (a ranker that always stops there never touches the
   * rest of the file); the remaining layers' tensors are marked as deliberately unused.
   *
   * @throws ConfigException when {@code layers} is outside 0..num_hidden_layers
   */
  public static DecoderModel loadFirst(Weights w, String base, DecoderConfig config, int layers) {
    if (layers < 0 || layers > config.numHiddenLayers()) {
      throw new ConfigException("cannot load " + layers + " of " + config.numHiddenLayers() + " layers");
    }
    for (int i = layers; i < config.numHiddenLayers(); i++) {
      String p = base + "layers." + i + ".";
      w.ignore(k -> k.startsWith(p));
    }
    return new DecoderModel(w, base, config, layers);
  }

  /** The config. */
  public DecoderConfig config() {
    return config;
  }

  /** The number of loaded layers. */
  public int numLayers() {
    return layers.size();
  }

  /** The embedding table (tied LM heads use it). */
  public Embedding embeddings() {
    return embeddings;
  }

  /**
   * Scaled token embeddings [B, L, hidden] in the compute dtype. Ids must be in range: callers
   * validate them in Java first.
   */
  public NDArray embed(NDArray inputIds) {
    NDArray h = embeddings.forward(inputIds);
    if (h.getDataType() != dtype) {
      h = h.toType(dtype, false);
    }
    double s = config.embeddingScale();
    if (s != 1) {
      if (config.embeddingScaleInDtype() && dtype != DataType.FLOAT32) {
        // Gemma: torch.tensor(hidden_size ** 0.5, dtype=hidden.dtype), e.g. √3072 → 55.5 in bf16
        h = h.mul(h.getManager().create((float) s).toType(dtype, false));
      } else {
        h = h.mul((float) s);
      }
    }
    return h;
  }

  /**
   * The per-batch attention masks and rotary tables for a [B, L] attention mask (1 = token, 0 =
   * padding; either side), positions 0..L−1.
   */
  public Context context(NDArray attentionMask) {
    int len = Math.toIntExact(attentionMask.getShape().get(1));
    NDList rope = config.rope().tables(attentionMask.getManager(), len, dtype);
    return context(attentionMask, rope.get(0), rope.get(1));
  }

  /**
   * The per-batch masks for a [B, L] attention mask with rotary tables made by the caller (e.g.
   * Qwen2-VL's multimodal rotary positions): {@code cos}/{@code sin} of shape [L, headDim] or [B,
   * 1, L, headDim], in the compute dtype. With {@link #layer} and {@link #norm} this runs the
   * decoder on embeddings the caller assembled (text and image tokens).
   */
  public Context context(NDArray attentionMask, NDArray cos, NDArray sin) {
    Map<Integer, NDArray> masks = new HashMap<>();
    for (int w : new LinkedHashSet<>(config.slidingWindows())) {
      masks.put(w, CausalMask.of(attentionMask, w, dtype));
    }
    return new Context(masks, cos, sin, null, defaultBudget);
  }

  /**
   * The per-batch masks and rotary tables for rows that continue a cached prefix: {@code
   * suffixMask} [B, L] marks each row's tokens after the prefix (right padding: a row's tokens
   * first), at positions P..P+L−1. The rows' hidden states, from {@link #embed} of their tokens
   * after the prefix, then go through {@link #layer} as usual.
   */
  public Context context(NDArray suffixMask, PrefixCache cache) {
    return context(suffixMask, cache, 0);
  }

  /**
   * The per-batch masks and rotary tables for a [B, L] attention mask at positions P..P+L−1 after
   * a cached prefix of P tokens ({@code cache}; null: P = 0, padding on either side), with the
   * rotary tables of a sequence of {@code sequenceLength} positions (at least P + L; dynamic
   * rotary scaling depends on it: pass the length the whole batch would be padded to, so that a
   * batch split into passes or continued from a prefix gets the frequencies of the whole).
   */
  public Context context(NDArray attentionMask, PrefixCache cache, int sequenceLength) {
    NDManager m = attentionMask.getManager();
    long b = attentionMask.getShape().get(0);
    int len = Math.toIntExact(attentionMask.getShape().get(1));
    int p = cache == null ? 0 : cache.length();
    NDArray keyMask = p == 0 ? attentionMask : m.ones(new Shape(b, p), attentionMask.getDataType()).concat(attentionMask, 1);
    Map<Integer, NDArray> masks = new HashMap<>();
    for (int w : new LinkedHashSet<>(config.slidingWindows())) {
      masks.put(w, CausalMask.of(keyMask, len, w, dtype));
    }
    int total = Math.max(sequenceLength, p + len);
    NDList rope = config.rope().tables(m, total, dtype);
    if (p == 0 && total == len) {
      return new Context(masks, rope.get(0), rope.get(1), null, defaultBudget);
    }
    NDIndex rows = new NDIndex("{}:{}", p, p + len);
    return new Context(masks, rope.get(0).get(rows), rope.get(1).get(rows), cache, defaultBudget);
  }

  /**
   * Runs the first {@code count} layers on a prefix [1, P] of ids that every row of the coming
   * batches shares, and keeps each layer's keys and values. Causal attention makes a prefix's
   * states independent of what follows it, so rows continued from the cache ({@link
   * #context(NDArray, PrefixCache)}) get the states the whole sequence would give them. The cache
   * lives in the ids' manager.
   */
  public PrefixCache prefill(NDArray prefixIds, int count) {
    return prefill(prefixIds, count, 0);
  }

  /**
   * {@link #prefill(NDArray, int)} with the rotary tables of a sequence of {@code sequenceLength}
   * positions (dynamic rotary scaling depends on it; see {@link #context(NDArray, PrefixCache,
   * int)}).
   */
  public PrefixCache prefill(NDArray prefixIds, int count, int sequenceLength) {
    if (count < 1 || count > layers.size()) {
      throw new IllegalArgumentException("count " + count + " outside 1.." + layers.size());
    }
    if (prefixIds.getShape().dimension() != 2 || prefixIds.getShape().get(0) != 1 || prefixIds.getShape().get(1) < 1) {
      throw new IllegalArgumentException("a prefix is one row [1, P] of ids, got " + prefixIds.getShape());
    }
    NDManager m = prefixIds.getManager();
    NDArray h = embed(prefixIds);
    Context ctx = context(m.ones(prefixIds.getShape(), DataType.INT64), null, sequenceLength);
    List<GroupedQueryAttention.KeyValue> kv = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      GroupedQueryAttention.KeyValue[] got = new GroupedQueryAttention.KeyValue[1];
      NDArray next = run(i, h, ctx, x -> got[0] = x, got);
      kv.add(got[0]);
      h.close();
      h = next;
    }
    h.close();
    return new PrefixCache(Math.toIntExact(prefixIds.getShape().get(1)), kv);
  }

  /** Runs layer {@code index} on {@code h} [B, L, hidden]; its intermediates are freed on return. */
  public NDArray layer(int index, NDArray h, Context ctx) {
    return run(index, h, ctx, null, null);
  }

  /**
   * One layer in its own scope: the input and the batch's masks, tables and cached keys are
   * borrowed, the output (and what {@code sink} captured into {@code captured}) moved to h's
   * manager.
   */
  private NDArray run(int index, NDArray h, Context ctx, java.util.function.Consumer<GroupedQueryAttention.KeyValue> sink,
      GroupedQueryAttention.KeyValue[] captured) {
    Layer layer = layers.get(index);
    NDArray mask = ctx.masks.get(layer.window);
    GroupedQueryAttention.KeyValue past = ctx.cache == null ? null : ctx.cache.layer(index);
    long chunk = mlpChunkTokens(ctx.budget);
    NDManager parent = h.getManager();
    try (NDManager scope = parent.newSubManager()) {
      scope.tempAttachAll(h);
      for (NDArray a : new NDArray[] {mask, ctx.cos, ctx.sin}) {
        if (a != null && a.getManager() == parent) {
          scope.tempAttachAll(a);
        }
      }
      if (past != null) {
        // the cache belongs to this batch (maybe a manager above h's): borrow it so that what is
        // computed from it lands in this scope
        scope.tempAttachAll(past.keys(), past.values());
      }
      NDArray out = layer.forward(h, mask, ctx.cos, ctx.sin, past, sink, chunk);
      if (captured != null && captured[0] != null) {
        scope.ret(captured[0].keys());
        scope.ret(captured[0].values());
      }
      return scope.ret(out);
    }
  }

  /**
   * The bytes of the largest intermediate one row of {@code length} tokens creates per layer
   * outside the chunked feed-forward and the blocked attention scores: the hidden state and the
   * query projection, in the compute dtype. A scorer puts {@code budget / this} rows in a CPU pass
   * ({@link CpuPasses}).
   */
  public long activationBytesPerRow(int length) {
    long width = Math.max(config.hiddenSize(), (long) config.numAttentionHeads() * config.headDim());
    return (long) length * width * elementBytes();
  }

  /** Tokens per feed-forward chunk under {@code budgetBytes} (0 = no chunks). */
  private long mlpChunkTokens(long budgetBytes) {
    if (budgetBytes <= 0) {
      return 0;
    }
    return Math.max(1, budgetBytes / ((long) config.intermediateSize() * elementBytes()));
  }

  private int elementBytes() {
    return dtype == DataType.FLOAT32 ? 4 : dtype.getNumOfBytes();
  }

    /** The final RMS norm. */
  public NDArray norm(NDArray h) {
    return norm.forward(h);
  }

  /** The last hidden state [B, L, hidden] after every loaded layer and the final norm. */
  public NDArray forward(NDArray inputIds, NDArray attentionMask) {
    return forward(inputIds, attentionMask, layers.size());
  }

  /** The hidden state after the first {@code count} layers, through the final norm. */
  public NDArray forward(NDArray inputIds, NDArray attentionMask, int count) {
    return forward(embed(inputIds), context(attentionMask), count);
  }

  /**
   * The hidden state after running the first {@code count} layers on {@code h} (from {@link
   * #embed}) with the batch's context, through the final norm; {@code h} is closed.
   */
  public NDArray forward(NDArray h, Context ctx, int count) {
    if (count < 0 || count > layers.size()) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + layers.size());
    }
    for (int i = 0; i < count; i++) {
      NDArray next = layer(i, h, ctx);
      h.close(); // a layer's input is not needed once its output exists: keeps one hidden state alive, not L
      h = next;
    }
    return norm(h);
  }

  /**
   * Masks, rotary tables and (continuing a prefix) cached keys shared by the layers of one batch;
   * arrays in the batch's manager. Immutable.
   */
  public static final class Context {
    private final Map<Integer, NDArray> masks;
    private final NDArray cos;
    private final NDArray sin;
    private final PrefixCache cache;
    private final long budget;

    Context(Map<Integer, NDArray> masks, NDArray cos, NDArray sin, PrefixCache cache, long budget) {
      this.masks = masks;
      this.cos = cos;
      this.sin = sin;
      this.cache = cache;
      this.budget = budget;
    }

    /**
     * This context with the feed-forward chunked so that no chunk's intermediate exceeds {@code
     * bytes} (0 = never chunk). The default is {@link CpuPasses#budgetBytes} of the weights'
     * placement: 16 MiB on the CPU, none on a GPU.
     */
    public Context withCpuBudget(long bytes) {
      return new Context(masks, cos, sin, cache, Math.max(0, bytes));
    }
  }

  /**
   * The keys and values of a prefix every row shares, per layer ({@link #prefill}); arrays in the
   * manager of the batch that made it, freed with it.
   */
  public static final class PrefixCache {
    private final int length;
    private final List<GroupedQueryAttention.KeyValue> layers;

    PrefixCache(int length, List<GroupedQueryAttention.KeyValue> layers) {
      this.length = length;
      this.layers = List.copyOf(layers);
    }

    /** The prefix's length P in tokens. */
    public int length() {
      return length;
    }

    /** The number of layers cached. */
    public int layers() {
      return layers.size();
    }

    GroupedQueryAttention.KeyValue layer(int index) {
      if (index >= layers.size()) {
        throw new IllegalArgumentException("the prefix cache holds " + layers.size() + " layers; layer " + index
            + " was asked for");
      }
      return layers.get(index);
    }
  }

  /** One decoder layer ({@code LlamaDecoderLayer}-style; Gemma2's sandwich norms; MiniCPM's scaled residuals). */
  private static final class Layer {
    private final RmsNorm inputNorm;
    private final RmsNorm postAttentionNorm;
    private final RmsNorm preFeedforwardNorm;
    private final RmsNorm postFeedforwardNorm;
    private final GroupedQueryAttention attention;
    private final Mlp mlp;
    private final float residualScale;
    private final int window;

    Layer(Weights w, String p, DecoderConfig c, int index, Activation act) {
      long h = c.hiddenSize();
      boolean one = c.normOffsetOne();
      inputNorm = RmsNorm.load(w, p + "input_layernorm", h, c.rmsNormEps(), one);
      postAttentionNorm = RmsNorm.load(w, p + "post_attention_layernorm", h, c.rmsNormEps(), one);
      preFeedforwardNorm = c.sandwichNorms() ? RmsNorm.load(w, p + "pre_feedforward_layernorm", h, c.rmsNormEps(), one) : null;
      postFeedforwardNorm = c.sandwichNorms() ? RmsNorm.load(w, p + "post_feedforward_layernorm", h, c.rmsNormEps(), one) : null;
      attention = GroupedQueryAttention.load(w, p + "self_attn.", new GroupedQueryAttention.Spec(
          h, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.qkvBias(), c.outputBias(),
          c.qkNorm(), c.rmsNormEps(), c.attentionScale(), c.attnLogitSoftcap()));
      long inter = c.intermediateSize();
      mlp = Mlp.gated(
          new Linear(w.get(p + "mlp.gate_proj.weight", inter, h), null),
          new Linear(w.get(p + "mlp.up_proj.weight", inter, h), null),
          new Linear(w.get(p + "mlp.down_proj.weight", h, inter), null),
          act);
      residualScale = (float) c.residualScale();
      window = c.slidingWindows().get(index);
    }

    NDArray forward(NDArray x, NDArray mask, NDArray cos, NDArray sin, GroupedQueryAttention.KeyValue past,
        java.util.function.Consumer<GroupedQueryAttention.KeyValue> sink, long chunkTokens) {
      NDArray attn = attention.forward(inputNorm.forward(x), mask, cos, sin, past, sink);
      if (preFeedforwardNorm != null) {
        NDArray h = x.add(postAttentionNorm.forward(attn));
        return h.add(postFeedforwardNorm.forward(mlp(preFeedforwardNorm.forward(h), chunkTokens)));
      }
      NDArray h = x.add(scaled(attn));
      return h.add(scaled(mlp(postAttentionNorm.forward(h), chunkTokens)));
    }

    /** The MLP over [B, L, hidden], in chunks of at most {@code chunkTokens} tokens (0 = one piece). */
    private NDArray mlp(NDArray x, long chunkTokens) {
      Shape s = x.getShape();
      long hidden = s.getLastDimension();
      long tokens = s.size() / hidden;
      if (chunkTokens <= 0 || tokens <= chunkTokens) {
        return mlp.forward(x);
      }
      NDArray flat = x.reshape(tokens, hidden);
      NDList parts = new NDList();
      NDManager parent = x.getManager();
      for (long from = 0; from < tokens; from += chunkTokens) {
        try (NDManager chunk = parent.newSubManager()) {
          NDArray part = flat.get(new NDIndex("{}:{}", from, Math.min(tokens, from + chunkTokens)));
          chunk.tempAttachAll(part);
          parts.add(chunk.ret(mlp.forward(part)));
        }
      }
      NDArray out = NDArrays.concat(parts, 0).reshape(s);
      parts.close();
      return out;
    }

    private NDArray scaled(NDArray x) {
      return residualScale == 1f ? x : x.mul(residualScale);
    }
  }
}
