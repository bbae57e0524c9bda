package dev.rerankers.transformers.models;

import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.Ops;
import dev.rerankers.transformers.nn.LayerNorm;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.Rotary;
import java.util.ArrayList;
import java.util.List;

/**
 * The ModernBERT encoder (transformers' {@code ModernBertModel}, eager attention on padded
 * batches): pre-norm layers (the first without attention norm), fused {@code Wqkv}, rotary
 * positions with a per-layer base, global layers alternating with sliding-window layers (keys
 * within {@code local_attention / 2}), gated GELU MLP ({@code Wi} → input, gate), bias-free norms.
 *
 * <p>Weights under {@code base + "embeddings."}, {@code base + "layers.N."}, {@code base +
 * "final_norm"}.
 */
public final class ModernBertModel implements OpsEncoder {
  private final ModernBertConfig config;
  private final Embedding words;
  private final LayerNorm embeddingNorm;
  private final List<Layer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final DataType dtype;

  private ModernBertModel(Weights w, String base, ModernBertConfig c) {
    this.config = c;
    this.dtype = w.placement().dtype();
    long h = c.hiddenSize();
    words = Embedding.load(w, base + "embeddings.tok_embeddings", c.vocabSize(), h);
    embeddingNorm = LayerNorm.load(w, base + "embeddings.norm", h, c.normEps());
    Activation act = Activation.of(c.hiddenActivation());
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      layers.add(new Layer(w, base + "layers." + i + ".", c, i, act));
    }
    finalNorm = LayerNorm.load(w, base + "final_norm", h, c.normEps());
  }

  /** Loads the encoder under {@code base} ({@code "model."} or ""). */
  public static ModernBertModel load(Weights w, String base, ModernBertConfig config) {
    return new ModernBertModel(w, base, config);
  }

  @Override
  public <T> T forward(Ops<T> ops, Inputs<T> in) {
    T h = ops.cast(embeddingNorm.forward(ops, words.forward(ops, in.inputIds())), dtype);
    T globalMask = ops.paddingMask(in.attentionMask(), dtype);
    T localMask = layers.stream().anyMatch(l -> !l.global)
        ? ops.bandMask(in.attentionMask(), config.localAttention() / 2, dtype) : null;
    for (Layer layer : layers) {
      T mask = layer.global ? globalMask : localMask;
      h = ops.layer(h, x -> layer.forward(ops, x, mask, config.maxPositionEmbeddings()), List.of(mask));
    }
    return finalNorm.forward(ops, h);
  }

  @Override
  public int attentionHeads() {
    return config.numAttentionHeads();
  }

  @Override
  public int hiddenSize() {
    return config.hiddenSize();
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public int maxLength() {
    return config.maxPositionEmbeddings();
  }

  @Override
  public int typeVocabSize() {
    return 0;
  }

  /** One {@code ModernBertEncoderLayer}. */
  private static final class Layer {
    private final LayerNorm attnNorm;
    private final Linear wqkv;
    private final Linear wo;
    private final LayerNorm mlpNorm;
    private final Mlp mlp;
    private final Rotary rotary;
    private final boolean global;
    private final int heads;
    private final float scale;

    Layer(Weights w, String p, ModernBertConfig c, int index, Activation act) {
      long h = c.hiddenSize();
      attnNorm = index == 0 ? null : LayerNorm.load(w, p + "attn_norm", h, c.normEps());
      wqkv = Linear.load(w, p + "attn.Wqkv", h, 3 * h);
      wo = Linear.load(w, p + "attn.Wo", h, h);
      mlpNorm = LayerNorm.load(w, p + "mlp_norm", h, c.normEps());
      mlp = Mlp.fusedGated(
          Linear.load(w, p + "mlp.Wi", h, 2L * c.intermediateSize()),
          Linear.load(w, p + "mlp.Wo", c.intermediateSize(), h),
          act);
      heads = c.numAttentionHeads();
      int headDim = (int) (h / heads);
      rotary = new Rotary(headDim, c.ropeTheta().get(index));
      global = c.globalLayer().get(index);
      scale = (float) (1.0 / Math.sqrt(headDim));
    }

    <T> T forward(Ops<T> ops, T x, T mask, int maxPositions) {
      T normed = attnNorm == null ? x : attnNorm.forward(ops, x);
      // Wqkv's output is [q | k | v], each [heads · d]
      List<T> qkv = ops.split(wqkv.forward(ops, normed), 3);
      T q = ops.rotary(qkv.get(0), heads, rotary, maxPositions);
      T k = ops.rotary(qkv.get(1), heads, rotary, maxPositions);
      T attn = wo.forward(ops, ops.attention(q, k, qkv.get(2), null, mask, heads, scale));
      T h = ops.add(x, attn);
      return ops.add(h, mlp.forward(ops, mlpNorm.forward(ops, h)));
    }
  }
}
