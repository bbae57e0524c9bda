package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import dev.rerankers.CheckpointException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;

/**
 * A decoder with its language-model head (transformers' {@code *ForCausalLM}): {@code logits =
 * lm_head(h)} where {@code lm_head} is {@code lm_head.weight} or, with {@code
 * tie_word_embeddings}, the embedding table; Gemma2 soft-caps the logits ({@code tanh(z/c)·c}),
 * MiniCPM divides {@code h} by {@code hidden_size / dim_model_base} first. Rankers need a few
 * positions and often a few vocabulary entries, so the head runs only on gathered rows ({@link
 * #logits}) or token columns ({@link #tokenLogits}) rather than on the whole [B, L, V] tensor.
 *
 * <p>Immutable; safe to call from several threads. {@link #close()} frees the weights.
 */
public final class CausalLm implements AutoCloseable {
  private final DecoderModel decoder;
  private final NDArray head;
  private final Weights weights;
  private final float softcap;
  private final float divisor;

  private CausalLm(DecoderModel decoder, NDArray head, Weights weights) {
    this.decoder = decoder;
    this.head = head;
    this.weights = weights;
    this.softcap = (float) decoder.config().finalLogitSoftcap();
    this.divisor = (float) decoder.config().logitsHiddenDivisor();
  }

  /**
   * Loads config.json and the safetensors weights of a causal LM; every tensor must be used.
   *
   * @throws dev.rerankers.ConfigException when the model type is not a supported decoder
   * @throws CheckpointException when the weights do not match the config
   */
  public static CausalLm load(ModelSource source, Placement placement) {
    DecoderConfig config = DecoderConfig.from(ConfigJson.read(source.file("config.json")));
    Weights w = Weights.open(source, placement);
    try {
      CausalLm lm = load(w, config);
      w.checkAllUsed();
      return lm;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** Builds the model from opened weights (the caller checks unused keys and owns closing). */
  public static CausalLm load(Weights w, DecoderConfig config) {
    return load(w, config, w.basePrefix("embed_tokens.", "model."));
  }

  /**
   * Builds the model from opened weights with the decoder under {@code base} (e.g. {@code
   * "model.language_model."} in a multimodal checkpoint); the LM head is {@code lm_head.weight}
   * or, tied, the embeddings. The caller checks unused keys and owns closing.
   */
  public static CausalLm load(Weights w, DecoderConfig config, String base) {
    DecoderModel decoder = DecoderModel.load(w, base, config);
    NDArray head;
    if (config.tieWordEmbeddings()) {
      head = decoder.embeddings().weight();
      // transformers ties the head to the embeddings and ignores a saved copy
      w.ignore(k -> k.equals("lm_head.weight"));
    } else {
      if (!w.has("lm_head.weight")) {
        throw new CheckpointException("config says tie_word_embeddings=false but the checkpoint has no lm_head.weight");
      }
      head = w.get("lm_head.weight", config.vocabSize(), config.hiddenSize());
    }
    return new CausalLm(decoder, head, w);
  }

  /** The decoder. */
  public DecoderModel decoder() {
    return decoder;
  }

  /** The weights (and their manager). */
  public Weights weights() {
    return weights;
  }

  /** The head's vocabulary size (input ids and token columns must be below it). */
  public long vocabSize() {
    return head.getShape().get(0);
  }

  /**
   * The rows {@code h[b, positions[b]]} of a [B, L, hidden] tensor as [B, hidden], in h's
   * manager.
   */
  public static NDArray gather(NDArray h, long[] positions) {
    long b = h.getShape().get(0);
    if (positions.length != b) {
      throw new IllegalArgumentException(positions.length + " positions for a batch of " + b);
    }
    NDList rows = new NDList();
    for (int i = 0; i < b; i++) {
      rows.add(h.get(new NDIndex("{}, {}", i, positions[i])));
    }
    return NDArrays.stack(rows);
  }

  /** Full-vocabulary logits [N, V] (fp32) for hidden rows [N, hidden] from {@link DecoderModel#forward}. */
  public NDArray logits(NDArray rows) {
    NDArray x = prepare(rows);
    return finish(x.getNDArrayInternal().linear(x, head, null).singletonOrThrow());
  }

  /** Logits [N, k] (fp32) of the given vocabulary entries only. */
  public NDArray tokenLogits(NDArray rows, long... tokenIds) {
    for (long t : tokenIds) {
      if (t < 0 || t >= vocabSize()) {
        throw new IllegalArgumentException("token id " + t + " outside the vocabulary of " + vocabSize());
      }
    }
    NDArray x = prepare(rows);
    NDArray ids = x.getManager().create(tokenIds);
    NDArray columns = ids.getNDArrayInternal().embedding(ids, head, SparseFormat.DENSE).singletonOrThrow();
    return finish(x.getNDArrayInternal().linear(x, columns, null).singletonOrThrow());
  }

  private NDArray prepare(NDArray rows) {
    return divisor == 1f ? rows : rows.div(divisor);
  }

  private NDArray finish(NDArray logits) {
    NDArray z = logits;
    if (softcap > 0) {
      z = z.div(softcap).tanh().mul(softcap);
    }
    return z.getDataType() == DataType.FLOAT32 ? z : z.toType(DataType.FLOAT32, false);
  }

  @Override
  public void close() {
    weights.close();
  }
}
