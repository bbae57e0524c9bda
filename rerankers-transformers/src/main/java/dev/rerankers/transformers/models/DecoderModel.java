package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.ConfigException;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.CausalMask;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.GroupedQueryAttention;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.RmsNorm;
import dev.rerankers.transformers.nn.Scope;
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
 * between layers. Immutable after loading; safe to call from several threads. Every intermediate
 * lives in the manager of the inputs.
 */
public final class DecoderModel {
  private final DecoderConfig config;
  private final Embedding embeddings;
  private final List<Layer> layers;
  private final RmsNorm norm;
  private final DataType dtype;

  private DecoderModel(Weights w, String base, DecoderConfig c, int layerCount) {
    this.config = c;
    this.dtype = w.placement().dtype();
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
    return new Context(masks, cos, sin);
  }

  /** Runs layer {@code index} on {@code h} [B, L, hidden]; its intermediates are freed on return. */
  public NDArray layer(int index, NDArray h, Context ctx) {
    Layer layer = layers.get(index);
    NDArray mask = ctx.masks.get(layer.window);
    return Scope.run(h, x -> layer.forward(x, mask, ctx.cos, ctx.sin), mask, ctx.cos, ctx.sin);
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
    if (count < 0 || count > layers.size()) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + layers.size());
    }
    NDArray h = embed(inputIds);
    Context ctx = context(attentionMask);
    for (int i = 0; i < count; i++) {
      NDArray next = layer(i, h, ctx);
      h.close(); // a layer's input is not needed once its output exists: keeps one hidden state alive, not L
      h = next;
    }
    return norm(h);
  }

  /** Masks and rotary tables shared by the layers of one batch; arrays in the batch's manager. */
  public static final class Context {
    private final Map<Integer, NDArray> masks;
    private final NDArray cos;
    private final NDArray sin;

    Context(Map<Integer, NDArray> masks, NDArray cos, NDArray sin) {
      this.masks = masks;
      this.cos = cos;
      this.sin = sin;
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

    NDArray forward(NDArray x, NDArray mask, NDArray cos, NDArray sin) {
      NDArray attn = attention.forward(inputNorm.forward(x), mask, cos, sin);
      if (preFeedforwardNorm != null) {
        NDArray h = x.add(postAttentionNorm.forward(attn));
        return h.add(postFeedforwardNorm.forward(mlp.forward(preFeedforwardNorm.forward(h))));
      }
      NDArray h = x.add(scaled(attn));
      return h.add(scaled(mlp.forward(postAttentionNorm.forward(h))));
    }

    private NDArray scaled(NDArray x) {
      return residualScale == 1f ? x : x.mul(residualScale);
    }
  }
}
