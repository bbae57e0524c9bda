package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.transformers.nn.Activation;

/**
 * The fields of a T5-family {@code config.json} (T5 v1.0, T5 v1.1, flan-T5, mT5, ptT5, MonoT5,
 * InRanker), under their JSON names in camelCase, with transformers' defaults where it has them.
 *
 * @param modelType {@code model_type} ({@code t5}, {@code mt5})
 * @param vocabSize {@code vocab_size}
 * @param dModel {@code d_model}
 * @param dKv {@code d_kv}: the width of one attention head ({@code num_heads · d_kv} need not equal
 *     {@code d_model})
 * @param dFf {@code d_ff}
 * @param numLayers {@code num_layers} (encoder blocks)
 * @param numDecoderLayers {@code num_decoder_layers} (default: {@code num_layers})
 * @param numHeads {@code num_heads}
 * @param relativeAttentionNumBuckets {@code relative_attention_num_buckets} (default 32)
 * @param relativeAttentionMaxDistance {@code relative_attention_max_distance} (default 128)
 * @param layerNormEpsilon {@code layer_norm_epsilon} (default 1e-6)
 * @param feedForwardProj {@code feed_forward_proj}: {@code relu} (v1.0), {@code gated-gelu} (v1.1,
 *     mT5, flan-T5), or {@code [gated-]ACT} for another activation
 * @param decoderStartTokenId {@code decoder_start_token_id} (default {@code pad_token_id})
 * @param padTokenId {@code pad_token_id} (default 0)
 * @param eosTokenId {@code eos_token_id} (default 1)
 * @param scaleDecoderOutputs whether the decoder output is multiplied by {@code d_model^-0.5}
 *     before the LM head; see {@link #from}
 */
public record T5Config(
    String modelType,
    int vocabSize,
    int dModel,
    int dKv,
    int dFf,
    int numLayers,
    int numDecoderLayers,
    int numHeads,
    int relativeAttentionNumBuckets,
    int relativeAttentionMaxDistance,
    double layerNormEpsilon,
    String feedForwardProj,
    int decoderStartTokenId,
    int padTokenId,
    int eosTokenId,
    boolean scaleDecoderOutputs) {

  public T5Config {
    if (vocabSize <= 0 || dModel <= 0 || dKv <= 0 || dFf <= 0 || numHeads <= 0) {
      throw new ConfigException("bad T5 config: vocab_size " + vocabSize + ", d_model " + dModel + ", d_kv " + dKv
          + ", d_ff " + dFf + ", num_heads " + numHeads + " must all be positive");
    }
    if (numLayers < 1 || numDecoderLayers < 1) {
      throw new ConfigException("bad T5 config: num_layers " + numLayers + " and num_decoder_layers "
          + numDecoderLayers + " must be >= 1");
    }
    if (relativeAttentionNumBuckets < 4 || relativeAttentionMaxDistance < relativeAttentionNumBuckets / 2) {
      throw new ConfigException("bad T5 config: relative_attention_num_buckets " + relativeAttentionNumBuckets
          + " must be >= 4 and relative_attention_max_distance " + relativeAttentionMaxDistance
          + " at least half of it");
    }
    String[] parts = feedForwardProj.split("-");
    if (parts.length > 2 || parts.length == 2 && !parts[0].equals("gated")) {
      throw new ConfigException("feed_forward_proj '" + feedForwardProj
          + "' is not of the form 'ACT' or 'gated-ACT' (e.g. 'relu', 'gated-gelu')");
    }
    activation(feedForwardProj); // fails on an unknown activation
    if (decoderStartTokenId < 0 || decoderStartTokenId >= vocabSize) {
      throw new ConfigException("decoder_start_token_id " + decoderStartTokenId + " is outside the vocabulary of "
          + vocabSize);
    }
  }

  /**
   * Reads the fields from config.json. mT5 is recognised by {@code model_type} "mt5" (the class
   * transformers' {@code AutoModelForSeq2SeqLM} picks), or by the architecture name when the config
   * has no {@code model_type}. {@code scaleDecoderOutputs} follows transformers 5: for mT5
   * ({@code MT5ForConditionalGeneration}) never; for T5 ({@code T5ForConditionalGeneration}) the config's
   * {@code scale_decoder_outputs} when present (transformers 5 writes it), else {@code
   * tie_word_embeddings} unless that is {@code false} (the transformers 4 rule: T5 v1.0 configs
   * leave it out or say true and are scaled; v1.1 / flan-T5 configs say false and are not).
   */
  public static T5Config from(ConfigJson c, String architecture) {
    String type = c.modelType();
    boolean mt5 = type.equals("mt5") || type.isEmpty() && architecture.startsWith("MT5");
    boolean scale = !mt5 && (c.has("scale_decoder_outputs")
        ? c.bool("scale_decoder_outputs", true)
        : c.bool("tie_word_embeddings", true));
    // defaults: transformers' T5Config / MT5Config (Hub configs state them all)
    int numLayers = c.integer("num_layers", mt5 ? 8 : 6);
    int pad = c.integer("pad_token_id", 0);
    return new T5Config(
        type,
        c.integer("vocab_size", mt5 ? 250112 : 32128),
        c.integer("d_model", 512),
        c.integer("d_kv", 64),
        c.integer("d_ff", mt5 ? 1024 : 2048),
        numLayers,
        c.integer("num_decoder_layers", numLayers),
        c.integer("num_heads", mt5 ? 6 : 8),
        c.integer("relative_attention_num_buckets", 32),
        c.integer("relative_attention_max_distance", 128),
        c.number("layer_norm_epsilon", 1e-6),
        c.string("feed_forward_proj", mt5 ? "gated-gelu" : "relu"),
        c.integer("decoder_start_token_id", pad),
        pad,
        c.integer("eos_token_id", 1),
        scale);
  }

  /** Whether the feed-forward block is gated ({@code wi_0}, {@code wi_1}, {@code wo}). */
  public boolean gated() {
    return feedForwardProj.startsWith("gated-");
  }

  /** The feed-forward activation ({@code gelu} in {@code gated-gelu} is the tanh GELU, as in transformers). */
  public Activation activation() {
    return activation(feedForwardProj);
  }

  /** {@code num_heads · d_kv}: the width of the attention projections. */
  public int innerDim() {
    return numHeads * dKv;
  }

  private static Activation activation(String feedForwardProj) {
    // transformers maps gated-gelu to gelu_new for backwards compatibility
    if (feedForwardProj.equals("gated-gelu")) {
      return Activation.GELU_TANH;
    }
    String act = feedForwardProj.substring(feedForwardProj.indexOf('-') + 1);
    return Activation.of(act);
  }
}
