package dev.rerankers.transformers.models;

import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.LayerNorm;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.Ops;
import dev.rerankers.transformers.nn.SelfAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * The BERT encoder (transformers' {@code BertModel} without pooler) and its variants as
 * configuration: RoBERTa / XLM-R / CamemBERT (position ids from {@code pad_token_id + 1}, skipping
 * padding), ELECTRA ({@code embedding_size} projected to the hidden size by {@code
 * embeddings_project}). MiniLM and TinyBERT checkpoints are BERTs.
 *
 * <p>Weights under {@code base + "embeddings."}, {@code base + "encoder.layer.N."} (and ELECTRA's
 * {@code base + "embeddings_project"}).
 */
public final class BertModel implements OpsEncoder {
  private final BertConfig config;
  private final Embedding words;
  private final Embedding positions;
  private final Embedding tokenTypes;
  private final LayerNorm embeddingNorm;
  private final Linear embeddingsProject;
  private final List<Layer> layers;
  private final DataType dtype;

  private BertModel(Weights w, String base, BertConfig c) {
    this.config = c;
    this.dtype = w.placement().dtype();
    long e = c.embeddingSize();
    String p = base + "embeddings.";
    words = Embedding.load(w, p + "word_embeddings", c.vocabSize(), e);
    positions = Embedding.load(w, p + "position_embeddings", c.maxPositionEmbeddings(), e);
    tokenTypes = c.typeVocabSize() > 0 ? Embedding.load(w, p + "token_type_embeddings", c.typeVocabSize(), e) : null;
    embeddingNorm = LayerNorm.load(w, p + "LayerNorm", e, c.layerNormEps());
    embeddingsProject = c.embeddingSize() != c.hiddenSize()
        ? Linear.load(w, base + "embeddings_project", e, c.hiddenSize()) : null;
    w.ignore(k -> k.equals(p + "position_ids") || k.equals(p + "token_type_ids"));
    Activation act = Activation.of(c.hiddenAct());
    layers = new ArrayList<>();
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      layers.add(new Layer(w, base + "encoder.layer." + i + ".", c, act));
    }
  }

  /** Loads the encoder under {@code base} ({@code "bert."}, {@code "roberta."}, {@code "electra."} or ""). */
  public static BertModel load(Weights w, String base, BertConfig config) {
    return new BertModel(w, base, config);
  }

  /** The configuration. */
  public BertConfig config() {
    return config;
  }

  @Override
  public <T> T forward(Ops<T> ops, Inputs<T> in) {
    T ids = in.inputIds();
    T posIds;
    if (config.padAwarePositions()) {
      // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
      T notPad = ops.notEqual(ids, config.padTokenId());
      posIds = ops.add(ops.mul(ops.cumSum(notPad, 1), notPad), config.padTokenId());
    } else {
      posIds = ops.positions(ids);
    }
    T h = ops.add(words.forward(ops, ids), positions.forward(ops, posIds));
    if (tokenTypes != null) {
      T types = in.tokenTypeIds() != null ? in.tokenTypeIds() : ops.zerosLike(ids);
      h = ops.add(h, tokenTypes.forward(ops, types));
    }
    h = embeddingNorm.forward(ops, h);
    if (embeddingsProject != null) {
      h = embeddingsProject.forward(ops, h);
    }
    h = ops.cast(h, dtype);
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
    return config.padAwarePositions()
        ? config.maxPositionEmbeddings() - config.padTokenId() - 1
        : config.maxPositionEmbeddings();
  }

  @Override
  public int typeVocabSize() {
    return tokenTypes == null ? 0 : config.typeVocabSize();
  }

  /** One {@code BertLayer}: self-attention, output projection + LayerNorm, MLP + LayerNorm. */
  private static final class Layer {
    private final SelfAttention attention;
    private final Linear attentionOut;
    private final LayerNorm attentionNorm;
    private final Mlp mlp;
    private final LayerNorm outputNorm;

    Layer(Weights w, String p, BertConfig c, Activation act) {
      long hidden = c.hiddenSize();
      attention = SelfAttention.load(w, p + "attention.self.", hidden, c.numAttentionHeads());
      attentionOut = Linear.load(w, p + "attention.output.dense", hidden, hidden);
      attentionNorm = LayerNorm.load(w, p + "attention.output.LayerNorm", hidden, c.layerNormEps());
      mlp = Mlp.dense(
          Linear.load(w, p + "intermediate.dense", hidden, c.intermediateSize()),
          Linear.load(w, p + "output.dense", c.intermediateSize(), hidden),
          act);
      outputNorm = LayerNorm.load(w, p + "output.LayerNorm", hidden, c.layerNormEps());
    }

    <T> T forward(Ops<T> ops, T x, T mask) {
      T a = attentionNorm.forward(ops, attentionOut.forward(ops, attention.forward(ops, x, mask)), x);
      return outputNorm.forward(ops, mlp.forward(ops, a), a);
    }
  }
}
