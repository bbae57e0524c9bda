package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.CheckpointException;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Attention;
import dev.rerankers.transformers.nn.FusedAttention;
import dev.rerankers.transformers.nn.AttentionMask;
import dev.rerankers.transformers.nn.Embedding;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Mlp;
import dev.rerankers.transformers.nn.RelativePositionBias;
import dev.rerankers.transformers.nn.RmsNorm;
import dev.rerankers.transformers.nn.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * The T5 encoder-decoder with its language-modelling head (transformers' {@code
 * T5ForConditionalGeneration} and {@code MT5ForConditionalGeneration}): T5 v1.0 (ReLU FFN, output
 * scaled by {@code d_model^-0.5}, head tied to the embeddings), T5 v1.1 / flan-T5 / mT5 (gated
 * tanh-GELU FFN, separate head, no scaling). Both stacks use pre-norm blocks with T5's RMS norm
 * (no mean subtraction, no bias), attention without the {@code 1/√d} scaling, and a bucketed
 * relative position bias computed in the first block and shared by the others (bidirectional in
 * the encoder, causal in the decoder). Decoder blocks add cross-attention over the encoder output.
 *
 * <p>Weights: {@code shared.weight} (the embeddings of both stacks), {@code encoder.block.N.layer.0}
 * (SelfAttention q/k/v/o, layer_norm), {@code encoder.block.N.layer.1} (DenseReluDense wi or
 * wi_0/wi_1, wo; layer_norm), {@code decoder.block.N.layer.1} (EncDecAttention) and {@code
 * .layer.2} (feed-forward), {@code encoder.final_layer_norm}, {@code decoder.final_layer_norm},
 * and {@code lm_head.weight} when the head is not tied. As in transformers 5 the head is {@code
 * lm_head.weight} when the checkpoint stores it, else {@code shared.weight}; the {@code
 * embed_tokens} copies older checkpoints carry are ignored.
 *
 * <p>No key/value cache and no decoder padding mask: decoder inputs are scored in one causal pass
 * (the first step for rankers, teacher forcing for UPR). Immutable after loading; safe to call from
 * several threads; every intermediate lives in the manager of the inputs. Close it to free the
 * weights.
 */
public final class T5Model implements AutoCloseable {
  private final String architecture;
  private final T5Config config;
  private final Stack encoder;
  private final Stack decoder;
  private final NDArray lmHeadWeight;
  private final Linear lmHead;
  private final Weights weights;

  private T5Model(String architecture, Weights w, T5Config c) {
    this.architecture = architecture;
    this.config = c;
    this.weights = w;
    Embedding shared = Embedding.load(w, "shared", c.vocabSize(), c.dModel());
    // transformers 4 checkpoints repeat the tied embeddings (and an unused cross-attention bias)
    w.ignore(k -> k.equals("encoder.embed_tokens.weight") || k.equals("decoder.embed_tokens.weight")
        || k.equals("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight"));
    encoder = new Stack(w, "encoder.", c, shared, false);
    decoder = new Stack(w, "decoder.", c, shared, true);
    lmHeadWeight = w.has("lm_head.weight") ? w.get("lm_head.weight", c.vocabSize(), c.dModel()) : shared.weight();
    lmHead = new Linear(lmHeadWeight, null);
  }

  /**
   * Assembles the model from a checkpoint's weights; the caller checks afterwards that every
   * tensor was used.
   *
   * @throws CheckpointException when a tensor is missing or has the wrong shape
   */
  public static T5Model load(Weights w, ConfigJson json, String architecture) {
    return new T5Model(architecture, w, T5Config.from(json, architecture));
  }

  /** The encoder stack: input ids to the encoder's last hidden state (final norm applied). */
  public Encoder encoder() {
    return encoder;
  }

  /**
   * The encoder's last hidden state [B, L, d_model] for int64 ids and attention mask [B, L], in
   * their manager. Ids must be below {@code vocab_size}: validate them in Java first.
   */
  public NDArray encode(NDArray inputIds, NDArray attentionMask) {
    return encoder.forward(new EncoderInput(inputIds, attentionMask, null));
  }

  /**
   * The decoder output ready for the LM head, [B, Ld, d_model]: final norm applied, and multiplied
   * by {@code d_model^-0.5} when {@link T5Config#scaleDecoderOutputs()}. The decoder ids [B, Ld]
   * attend causally to each other and to every unmasked encoder position.
   *
   * @param decoderIds int64 [B, Ld], e.g. {@code decoder_start_token_id} followed by the labels
   *     shifted right
   * @param encoderHidden {@link #encode}'s output [B, L, d_model]
   * @param encoderMask int64 [B, L], 1 at tokens, 0 at padding
   */
  public NDArray decode(NDArray decoderIds, NDArray encoderHidden, NDArray encoderMask) {
    NDArray h = decoder.forward(decoderIds, null, encoderHidden, encoderMask);
    return config.scaleDecoderOutputs() ? h.mul((float) Math.pow(config.dModel(), -0.5)) : h;
  }

  /** Logits over the vocabulary, [B, Ld, vocab_size], for {@link #decode}'s arguments. */
  public NDArray logits(NDArray decoderIds, NDArray encoderHidden, NDArray encoderMask) {
    return lmHead.forward(decode(decoderIds, encoderHidden, encoderMask));
  }

  /** The LM head ({@code lm_head} or the tied {@code shared} embeddings), vocab_size outputs, no bias. */
  public Linear lmHead() {
    return lmHead;
  }

  /**
   * A head restricted to some vocabulary rows, in that order: its outputs are the logits of those
   * tokens only (a ranker needs two). Allocates in the model's manager: call it once, when loading.
   *
   * @throws IllegalArgumentException when an id is outside the vocabulary
   */
  public Linear lmHeadRows(long... tokenIds) {
    List<NDArray> rows = new ArrayList<>(tokenIds.length);
    for (long id : tokenIds) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize());
      }
      rows.add(lmHeadWeight.get(id));
    }
    return new Linear(NDArrays.stack(new NDList(rows)), null);
  }

  /**
   * Bytes of the largest fp32 intermediate one input row of {@code length} tokens creates in an
   * encoder layer: the attention scores [heads, L, L] or the feed-forward activation [L, d_ff].
   */
  public long activationBytesPerRow(int length) {
    T5Config c = config();
    return 4L * length * Math.max((long) c.numHeads() * length, c.dFf());
  }

  /** The configuration. */
  public T5Config config() {
    return config;
  }

  /** The transformers class name. */
  public String architecture() {
    return architecture;
  }

  /** The weights (and their manager: batches open sub-managers of it). */
  public Weights weights() {
    return weights;
  }

  @Override
  public void close() {
    weights.close();
  }

  /** A {@code T5Stack}: embeddings, blocks, final RMS norm. */
  private static final class Stack implements Encoder {
    private final T5Config config;
    private final Embedding embed;
    private final RelativePositionBias positionBias;
    private final List<Block> blocks = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final boolean isDecoder;
    private final DataType dtype;

    Stack(Weights w, String p, T5Config c, Embedding shared, boolean isDecoder) {
      this.config = c;
      this.embed = shared;
      this.isDecoder = isDecoder;
      this.dtype = w.placement().dtype();
      positionBias = RelativePositionBias.load(w, p + "block.0.layer.0.SelfAttention.relative_attention_bias",
          c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(), c.numHeads(), !isDecoder);
      int n = isDecoder ? c.numDecoderLayers() : c.numLayers();
      for (int i = 0; i < n; i++) {
        blocks.add(new Block(w, p + "block." + i + ".", c, isDecoder));
      }
      finalNorm = RmsNorm.load(w, p + "final_layer_norm", c.dModel(), c.layerNormEpsilon(), false);
    }

    @Override
    public NDArray forward(EncoderInput in) {
      return forward(in.inputIds(), in.attentionMask(), null, null);
    }

    /**
     * Runs the stack. Encoder: {@code selfMask} is the padding mask. Decoder: self-attention is
     * causal ({@code selfMask} unused), and cross-attention sees the encoder's unmasked positions.
     */
    NDArray forward(NDArray ids, NDArray selfMask, NDArray encoderHidden, NDArray encoderMask) {
      NDManager m = ids.getManager();
      int len = (int) ids.getShape().get(1);
      NDArray h = embed.forward(ids);
      if (h.getDataType() != dtype) {
        h = h.toType(dtype, false);
      }
      NDArray additive = isDecoder ? causal(m, len, dtype) : AttentionMask.padding(selfMask, dtype);
      // transformers adds the mask to the position bias once and hands the sum to every block
      NDArray bias = positionBias.forward(m, len, len).toType(dtype, false).add(additive);
      NDArray cross = encoderMask == null ? null : AttentionMask.padding(encoderMask, dtype);
      for (Block block : blocks) {
        h = Scope.run(h, x -> block.forward(x, bias, encoderHidden, cross), bias, encoderHidden, cross);
      }
      return finalNorm.forward(h);
    }

    /** [1, 1, L, L]: 0 where key j ≤ query i, the dtype minimum after. */
    private static NDArray causal(NDManager m, int len, DataType type) {
      float min = AttentionMask.minValue(type);
      float[] mask = new float[len * len];
      for (int i = 0; i < len; i++) {
        for (int j = i + 1; j < len; j++) {
          mask[i * len + j] = min;
        }
      }
      NDArray a = m.create(mask, new Shape(1, 1, len, len));
      return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    @Override
    public int hiddenSize() {
      return config.dModel();
    }

    @Override
    public int vocabSize() {
      return config.vocabSize();
    }

    @Override
    public int maxLength() {
      return Integer.MAX_VALUE; // relative positions: no table to run off
    }

    @Override
    public int typeVocabSize() {
      return 0;
    }
  }

  /** A {@code T5Block}: self-attention, (decoder) cross-attention, feed-forward; each pre-normed, residual. */
  private static final class Block {
    private final RmsNorm selfNorm;
    private final T5Attention self;
    private final RmsNorm crossNorm;
    private final T5Attention cross;
    private final RmsNorm ffNorm;
    private final Mlp ff;

    Block(Weights w, String p, T5Config c, boolean isDecoder) {
      double eps = c.layerNormEpsilon();
      selfNorm = RmsNorm.load(w, p + "layer.0.layer_norm", c.dModel(), eps, false);
      self = new T5Attention(w, p + "layer.0.SelfAttention.", c);
      String ffPrefix;
      if (isDecoder) {
        crossNorm = RmsNorm.load(w, p + "layer.1.layer_norm", c.dModel(), eps, false);
        cross = new T5Attention(w, p + "layer.1.EncDecAttention.", c);
        ffPrefix = p + "layer.2.";
      } else {
        crossNorm = null;
        cross = null;
        ffPrefix = p + "layer.1.";
      }
      ffNorm = RmsNorm.load(w, ffPrefix + "layer_norm", c.dModel(), eps, false);
      String d = ffPrefix + "DenseReluDense.";
      Linear wo = Linear.load(w, d + "wo", c.dFf(), c.dModel());
      ff = c.gated()
          ? Mlp.gated(Linear.load(w, d + "wi_0", c.dModel(), c.dFf()), Linear.load(w, d + "wi_1", c.dModel(), c.dFf()),
              wo, c.activation())
          : Mlp.dense(Linear.load(w, d + "wi", c.dModel(), c.dFf()), wo, c.activation());
    }

    NDArray forward(NDArray h, NDArray selfBias, NDArray encoderHidden, NDArray crossMask) {
      NDArray x = selfNorm.forward(h);
      h = clampHalf(h.add(self.forward(x, x, selfBias)));
      if (cross != null) {
        h = clampHalf(h.add(cross.forward(crossNorm.forward(h), encoderHidden, crossMask)));
      }
      return clampHalf(h.add(ff.forward(ffNorm.forward(h))));
    }

    /** transformers' fp16 guard: when a value overflowed to ±inf, clamp everything to ±(max − 1000). */
    private static NDArray clampHalf(NDArray h) {
      if (h.getDataType() != DataType.FLOAT16 || !h.isInfinite().any().getBoolean()) {
        return h;
      }
      float limit = 65504f - 1000f;
      return h.clip(-limit, limit);
    }
  }

  /**
   * {@code T5Attention} without a cache: {@code q}, {@code k}, {@code v}, {@code o} projections
   * without bias, scores {@code q kᵀ} (no {@code 1/√d} scaling) plus the position bias and mask,
   * softmax in fp32.
   */
  private static final class T5Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;

    T5Attention(Weights w, String p, T5Config c) {
      int inner = c.innerDim();
      q = Linear.load(w, p + "q", c.dModel(), inner);
      k = Linear.load(w, p + "k", c.dModel(), inner);
      v = Linear.load(w, p + "v", c.dModel(), inner);
      o = Linear.load(w, p + "o", inner, c.dModel());
      heads = c.numHeads();
    }

    /** Queries from {@code x} [B, Lq, d], keys and values from {@code kv} [B, Lk, d]. */
    NDArray forward(NDArray x, NDArray kv, NDArray additiveBias) {
      NDArray qh = Attention.splitHeads(q.forward(x), heads);
      NDArray kh = Attention.splitHeads(k.forward(kv), heads);
      NDArray vh = Attention.splitHeads(v.forward(kv), heads);
      if (FusedAttention.usable(qh, kh, vh, additiveBias)) {
        // one fused kernel call with the position bias as its float mask, scale 1 (T5 does not scale)
        return o.forward(Attention.mergeHeads(FusedAttention.attend(qh, kh, vh, additiveBias, 1f)));
      }
      NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
      NDArray weights = Attention.softmax(scores, additiveBias, x.getDataType());
      return o.forward(Attention.mergeHeads(weights.matMul(vh)));
    }
  }
}
