package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Attention;
import dev.rerankers.transformers.nn.AttentionMask;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.LayerNorm;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.RelativePositions;
import dev.rerankers.transformers.nn.Scope;
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
public final class DebertaV2Model implements Encoder {
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
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      layers.add(new Layer(w, base + "encoder.layer." + i + ".", c, act, table));
    }
  }

  /** Loads the encoder under {@code base} ({@code "deberta."} or ""). */
  public static DebertaV2Model load(Weights w, String base, DebertaV2Config config) {
    return new DebertaV2Model(w, base, config);
  }

  @Override
  public NDArray forward(EncoderInput in) {
    NDArray ids = in.inputIds();
    NDManager m = ids.getManager();
    long b = in.batchSize();
    int len = (int) in.length();
    NDArray h = words.forward(ids);
    if (positions != null) {
      h = h.add(positions.forward(m.arange(0, len, 1, DataType.INT64).reshape(1, len)));
    }
    if (tokenTypes != null) {
      NDArray types = in.tokenTypeIds() != null ? in.tokenTypeIds() : m.zeros(ids.getShape(), DataType.INT64);
      h = h.add(tokenTypes.forward(types));
    }
    if (embedProj != null) {
      h = embedProj.forward(h);
    }
    h = embeddingNorm.forward(h);
    NDArray keep = in.attentionMask().toType(h.getDataType(), false).expandDims(-1);
    h = h.mul(keep);
    if (h.getDataType() != dtype) {
      h = h.toType(dtype, false);
    }
    NDArray mask = AttentionMask.padding(in.attentionMask(), dtype);
    Relative rel = null;
    if (config.relativeAttention()) {
      int span = config.attentionSpan();
      long[] relPos = RelativePositions.deberta(len, config.positionBuckets(), config.maxRelativePositions());
      long[] c2p = new long[relPos.length];
      long[] p2c = new long[relPos.length];
      for (int i = 0; i < relPos.length; i++) {
        c2p[i] = Math.max(0, Math.min(2L * span - 1, relPos[i] + span));
        p2c[i] = Math.max(0, Math.min(2L * span - 1, -relPos[i] + span));
      }
      rel = new Relative(
          m.create(c2p).reshape(1, 1, len, len).broadcast(b, config.numAttentionHeads(), len, len),
          m.create(p2c).reshape(1, 1, len, len).broadcast(b, config.numAttentionHeads(), len, len));
    }
    Relative r = rel;
    for (Layer layer : layers) {
      h = r == null
          ? Scope.run(h, x -> layer.forward(x, mask, null), mask)
          : Scope.run(h, x -> layer.forward(x, mask, r), mask, r.c2pIndex, r.p2cIndex);
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

  private record Relative(NDArray c2pIndex, NDArray p2cIndex) {}

  /** One {@code DebertaV2Layer}. */
  private static final class Layer {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final NDArray posKeyHeads;
    private final NDArray posQueryHeads;
    private final Linear attentionOut;
    private final LayerNorm attentionNorm;
    private final Mlp mlp;
    private final LayerNorm outputNorm;
    private final int heads;
    private final boolean c2p;
    private final boolean p2c;
    private final float scale;

    Layer(Weights w, String p, DebertaV2Config c, Activation act, NDArray relTable) {
      long hidden = c.hiddenSize();
      String a = p + "attention.self.";
      query = Linear.load(w, a + "query_proj", hidden, hidden);
      key = Linear.load(w, a + "key_proj", hidden, hidden);
      value = Linear.load(w, a + "value_proj", hidden, hidden);
      c2p = c.relativeAttention() && c.posAttType().contains("c2p");
      p2c = c.relativeAttention() && c.posAttType().contains("p2c");
      heads = c.numAttentionHeads();
      // position keys/queries depend only on the weights: projected once, transposed [1, heads, d, 2·span]
      Linear posKey = c2p ? (c.shareAttKey() ? key : Linear.load(w, a + "pos_key_proj", hidden, hidden)) : null;
      Linear posQuery = p2c ? (c.shareAttKey() ? query : Linear.load(w, a + "pos_query_proj", hidden, hidden)) : null;
      posKeyHeads = posKey == null ? null : Attention.splitHeads(posKey.forward(relTable), heads).transpose(0, 1, 3, 2);
      posQueryHeads = posQuery == null ? null : Attention.splitHeads(posQuery.forward(relTable), heads).transpose(0, 1, 3, 2);
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

    NDArray forward(NDArray x, NDArray mask, Relative rel) {
      NDArray q = Attention.splitHeads(query.forward(x), heads);
      NDArray k = Attention.splitHeads(key.forward(x), heads);
      NDArray v = Attention.splitHeads(value.forward(x), heads);
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
      if (rel != null) {
        if (c2p) {
          NDArray c2pAtt = q.matMul(posKeyHeads).gather(rel.c2pIndex(), -1);
          scores = scores.add(c2pAtt.mul(scale));
        }
        if (p2c) {
          NDArray p2cAtt = k.matMul(posQueryHeads).gather(rel.p2cIndex(), -1).transpose(0, 1, 3, 2);
          scores = scores.add(p2cAtt.mul(scale));
        }
      }
      NDArray probs = Attention.softmax(scores, mask, x.getDataType());
      NDArray context = Attention.mergeHeads(probs.matMul(v));
      NDArray a = attentionNorm.forward(attentionOut.forward(context).add(x));
      return outputNorm.forward(mlp.forward(a).add(a));
    }
  }
}
