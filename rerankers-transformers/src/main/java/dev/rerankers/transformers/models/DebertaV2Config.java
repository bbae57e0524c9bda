package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a DeBERTa-v2/v3 {@code config.json}, camelCase of the JSON names, transformers'
 * defaults.
 *
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param numHiddenLayers {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param intermediateSize {@code intermediate_size}
 * @param hiddenAct {@code hidden_act}
 * @param layerNormEps {@code layer_norm_eps} (default 1e-7)
 * @param maxPositionEmbeddings {@code max_position_embeddings} (default 512)
 * @param typeVocabSize {@code type_vocab_size} (default 0)
 * @param embeddingSize {@code embedding_size} (default hidden size)
 * @param positionBiasedInput {@code position_biased_input} (default true)
 * @param relativeAttention {@code relative_attention} (default false)
 * @param maxRelativePositions {@code max_relative_positions} (below 1: max_position_embeddings)
 * @param positionBuckets {@code position_buckets} (default -1: no bucketing)
 * @param posAttType {@code pos_att_type}: "c2p" and/or "p2c"
 * @param shareAttKey {@code share_att_key} (default false)
 * @param normRelEbd {@code norm_rel_ebd} contains "layer_norm"
 * @param poolerHiddenAct {@code pooler_hidden_act} (default gelu)
 */
public record DebertaV2Config(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    double layerNormEps,
    int maxPositionEmbeddings,
    int typeVocabSize,
    int embeddingSize,
    boolean positionBiasedInput,
    boolean relativeAttention,
    int maxRelativePositions,
    int positionBuckets,
    List<String> posAttType,
    boolean shareAttKey,
    boolean normRelEbd,
    String poolerHiddenAct) {

  public DebertaV2Config {
    if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
      throw new ConfigException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    posAttType = List.copyOf(posAttType);
    for (String t : posAttType) {
      if (!t.equals("c2p") && !t.equals("p2c")) {
        throw new ConfigException("pos_att_type '" + t + "' is not supported (c2p, p2c)");
      }
    }
  }

  /** Reads the fields from config.json. */
  public static DebertaV2Config from(ConfigJson c) {
    if (c.integer("conv_kernel_size", 0) > 0) {
      throw new ConfigException(c.source() + ": conv_kernel_size > 0 (the DeBERTa-v2 xlarge convolution layer) is not supported");
    }
    if (c.integer("attention_head_size", 0) > 0
        && c.integer("attention_head_size", 0) * c.integer("num_attention_heads") != c.integer("hidden_size")) {
      throw new ConfigException(c.source() + ": attention_head_size different from hidden_size / heads is not supported");
    }
    List<String> types = new ArrayList<>();
    for (String s : c.strings("pos_att_type")) {
      for (String part : s.toLowerCase(Locale.ROOT).split("\\|")) {
        if (!part.isBlank() && !part.strip().equals("none")) {
          types.add(part.strip());
        }
      }
    }
    int hidden = c.integer("hidden_size");
    int maxPos = c.integer("max_position_embeddings", 512);
    int maxRel = c.integer("max_relative_positions", -1);
    return new DebertaV2Config(
        c.integer("vocab_size"),
        hidden,
        c.integer("num_hidden_layers"),
        c.integer("num_attention_heads"),
        c.integer("intermediate_size"),
        c.string("hidden_act", "gelu"),
        c.number("layer_norm_eps", 1e-7),
        maxPos,
        c.integer("type_vocab_size", 0),
        c.integer("embedding_size", hidden),
        c.bool("position_biased_input", true),
        c.bool("relative_attention", false),
        maxRel < 1 ? maxPos : maxRel,
        c.integer("position_buckets", -1),
        types,
        c.bool("share_att_key", false),
        c.string("norm_rel_ebd", "none").toLowerCase(Locale.ROOT).contains("layer_norm"),
        c.string("pooler_hidden_act", "gelu"));
  }

  /** The span of relative positions the attention sees: position_buckets, else max_relative_positions. */
  public int attentionSpan() {
    return positionBuckets > 0 ? positionBuckets : maxRelativePositions;
  }
}
