package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Attention;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.Ops;
import dev.rerankers.transformers.nn.LayerNorm;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.RelativePositions;
import java.util.ArrayList;
import java.util.List;

/**
 * The DeBERTa-v2/v3 encoder (transformers' {@code DebertaV2Model}): BERT-shaped layers with
 * disentangled attention, whose scores add content→position (c2p) and position→content (p2c)
 * terms over log-bucketed relative positions; relative embeddings optionally layer-normed and
 * shared with the content projections ({@code share_att_key}, v3).
 *
 * <p>Weights under {@code base + "embeddings."}, {@code base + "encoder.rel_embeddings"}, {@code
 * base + "encoder.LayerNorm"}, {@code base + "encoder.layer.N."} (attention.self.query_proj /
 * key_proj / value_proj [/ pos_key_proj / pos_query_proj], attention.output, intermediate, output).
 */
public final class DebertaV2Model implements OpsEncoder {
  private final DebertaV2Config config;
  private final Embedding words;
  private final Embedding positions;
  private final Embedding tokenTypes;
  private final Linear embedProj;
  private final LayerNorm embeddingNorm;
  private final List<Layer> layers = new ArrayList<>();
  private final DataType dtype;

  private DebertaV2Model(Weights w, String base, DebertaV2Config c) {
    this.config = c;
    this.dtype = w.placement().dtype();
    long e = c.embeddingSize();
    String p = base + "embeddings.";
    words = Embedding.load(w, p + "word_embeddings", c.vocabSize(), e);
    positions = c.positionBiasedInput() ? Embedding.load(w, p + "position_embeddings", c.maxPositionEmbeddings(), e) : null;
    if (!c.positionBiasedInput()) {
      // transformers ignores a stored position table the model does not use
      w.ignore(k -> k.equals(p + "position_embeddings.weight"));
    }
    tokenTypes = c.typeVocabSize() > 0 ? Embedding.load(w, p + "token_type_embeddings", c.typeVocabSize(), e) : null;
    embedProj = e != c.hiddenSize() ? new Linear(w.get(p + "embed_proj.weight", c.hiddenSize(), e), null) : null;
    embeddingNorm = LayerNorm.load(w, p + "LayerNorm", c.hiddenSize(), c.layerNormEps());
    w.ignore(k -> k.equals(p + "position_ids"));
    NDArray table = null;
    if (c.relativeAttention()) {
      // relative embeddings [2·span, H], layer-normed (norm_rel_ebd): constant, computed once here
      table = w.get(base + "encoder.rel_embeddings.weight").get(new NDIndex("0:" + (2 * c.attentionSpan())));
      if (c.normRelEbd()) {
        table = LayerNorm.load(w, base + "encoder.LayerNorm", c.hiddenSize(), c.layerNormEps()).forward(table);
      }
      table = table.expandDims(0);
    }
    Activation act = Activation.of(c.hiddenAct());
    RelativeIndex relative = c.relativeAttention() ? RelativeIndex.of(c) : null;
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      layers.add(new Layer(w, base + "encoder.layer." + i + ".", c, act, table, relative));
    }
  }

  /** Loads the encoder under {@code base} ({@code "deberta."} or ""). */
  public static DebertaV2Model load(Weights w, String base, DebertaV2Config config) {
    return new DebertaV2Model(w, base, config);
  }

  @Override
  public <T> T forward(Ops<T> ops, Inputs<T> in) {
    T ids = in.inputIds();
    T h = words.forward(ops, ids);
    if (positions != null) {
      h = ops.add(h, positions.forward(ops, ops.positions(ids)));
    }
    if (tokenTypes != null) {
      T types = in.tokenTypeIds() != null ? in.tokenTypeIds() : ops.zerosLike(ids);
      h = ops.add(h, tokenTypes.forward(ops, types));
    }
    if (embedProj != null) {
      h = embedProj.forward(ops, h);
    }
    h = embeddingNorm.forward(ops, h);
    h = ops.cast(ops.zeroPadding(h, in.attentionMask()), dtype);
    T mask = ops.paddingMask(in.attentionMask(), dtype);
    for (Layer layer : layers) {
      h = ops.layer(h, x -> layer.forward(ops, x, mask), List.of(mask));
    }
    return h;
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
    return config.positionBiasedInput() ? config.maxPositionEmbeddings() : Integer.MAX_VALUE;
  }

  @Override
  public int typeVocabSize() {
    return tokenTypes == null ? 0 : config.typeVocabSize();
  }

  /**
   * The c2p and p2c gather indices by relative position {@code r = i - j} for {@code |r| <=
   * radius}: {@code clamp(±bucket(r) + span, 0, 2·span - 1)} (transformers' {@code
   * build_relative_position} then the clamps of {@code disentangled_attention_bias}). Bucketed
   * positions only grow with |r|, so both indices are constant beyond the first radius where they
   * reach their bounds: the tables are exact for any length.
   */
  record RelativeIndex(long[] c2p, long[] p2c, int radius) {
    static RelativeIndex of(DebertaV2Config c) {
      int span = c.attentionSpan();
      int radius = 1;
      while (!saturated(c, span, radius) && radius < (1 << 20)) {
        radius *= 2;
      }
      long[] c2p = new long[2 * radius + 1];
      long[] p2c = new long[2 * radius + 1];
      for (int r = -radius; r <= radius; r++) {
        long rel = bucket(c, r);
        c2p[r + radius] = Math.max(0, Math.min(2L * span - 1, rel + span));
        p2c[r + radius] = Math.max(0, Math.min(2L * span - 1, -rel + span));
      }
      return new RelativeIndex(c2p, p2c, radius);
    }

    private static long bucket(DebertaV2Config c, int rel) {
      return c.positionBuckets() > 0 && c.maxRelativePositions() > 0
          ? RelativePositions.logBucket(rel, c.positionBuckets(), c.maxRelativePositions()) : rel;
    }

    private static boolean saturated(DebertaV2Config c, int span, int radius) {
      // beyond: c2p = clamp(b + span) and p2c = clamp(-b + span) both sit at their bounds
      return bucket(c, radius) >= span && bucket(c, -radius) <= -span;
    }
  }

  /** One {@code DebertaV2Layer}. */
  private static final class Layer {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final NDArray posKeys;
    private final NDArray posQueries;
    private final NDArray posKeysByHead;
    private final NDArray posQueriesByHead;
    private final Linear attentionOut;
    private final LayerNorm attentionNorm;
    private final Mlp mlp;
    private final LayerNorm outputNorm;
    private final int heads;
    private final boolean c2p;
    private final boolean p2c;
    private final float scale;
    private final RelativeIndex relative;

    Layer(Weights w, String p, DebertaV2Config c, Activation act, NDArray relTable, RelativeIndex relative) {
      this.relative = relative;
      long hidden = c.hiddenSize();
      String a = p + "attention.self.";
      query = Linear.load(w, a + "query_proj", hidden, hidden);
      key = Linear.load(w, a + "key_proj", hidden, hidden);
      value = Linear.load(w, a + "value_proj", hidden, hidden);
      c2p = c.relativeAttention() && c.posAttType().contains("c2p");
      p2c = c.relativeAttention() && c.posAttType().contains("p2c");
      heads = c.numAttentionHeads();
      // position keys/queries depend only on the weights: projected once, [1, 2·span, hidden]
      Linear posKey = c2p ? (c.shareAttKey() ? key : Linear.load(w, a + "pos_key_proj", hidden, hidden)) : null;
      Linear posQuery = p2c ? (c.shareAttKey() ? query : Linear.load(w, a + "pos_query_proj", hidden, hidden)) : null;
      posKeys = posKey == null ? null : posKey.forward(relTable);
      posQueries = posQuery == null ? null : posQuery.forward(relTable);
      posKeysByHead = posKeys == null ? null : Attention.splitHeads(posKeys, heads).transpose(0, 1, 3, 2);
      posQueriesByHead = posQueries == null ? null : Attention.splitHeads(posQueries, heads).transpose(0, 1, 3, 2);
      int factor = 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0);
      scale = (float) (1.0 / Math.sqrt((float) (hidden / heads) * factor));
      attentionOut = Linear.load(w, p + "attention.output.dense", hidden, hidden);
      attentionNorm = LayerNorm.load(w, p + "attention.output.LayerNorm", hidden, c.layerNormEps());
      mlp = Mlp.dense(
          Linear.load(w, p + "intermediate.dense", hidden, c.intermediateSize()),
          Linear.load(w, p + "output.dense", c.intermediateSize(), hidden),
          act);
      outputNorm = LayerNorm.load(w, p + "output.LayerNorm", hidden, c.layerNormEps());
    }

    <T> T forward(Ops<T> ops, T x, T mask) {
      T q = query.forward(ops, x);
      T k = key.forward(ops, x);
      T v = value.forward(ops, x);
      T bias = null;
      if (c2p) {
        bias = ops.mul(ops.gatherRelative(ops.headsMatMul(q, posKeys, posKeysByHead, heads), relative.c2p(), relative.radius()), scale);
      }
      if (p2c) {
        T p2cAtt = ops.transposeLast(ops.gatherRelative(ops.headsMatMul(k, posQueries, posQueriesByHead, heads), relative.p2c(),
            relative.radius()));
        T scaled = ops.mul(p2cAtt, scale);
        bias = bias == null ? scaled : ops.add(bias, scaled);
      }
      T context = ops.attention(q, k, v, bias, mask, heads, scale);
      T a = attentionNorm.forward(ops, attentionOut.forward(ops, context), x);
      return outputNorm.forward(ops, mlp.forward(ops, a), a);
    }
  }
}
