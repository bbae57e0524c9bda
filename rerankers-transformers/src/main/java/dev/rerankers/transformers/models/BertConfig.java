package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import java.util.Set;

/**
 * The fields of a BERT-family {@code config.json} (BERT, RoBERTa, XLM-R, CamemBERT, ELECTRA), under
 * their JSON names in camelCase, with transformers' defaults where it has them.
 *
 * @param modelType {@code model_type}
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param numHiddenLayers {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param intermediateSize {@code intermediate_size}
 * @param hiddenAct {@code hidden_act} (default gelu)
 * @param layerNormEps {@code layer_norm_eps} (default 1e-12)
 * @param maxPositionEmbeddings {@code max_position_embeddings} (default 512)
 * @param typeVocabSize {@code type_vocab_size} (default 2)
 * @param padTokenId {@code pad_token_id} (default 0; RoBERTa family 1)
 * @param embeddingSize {@code embedding_size} (ELECTRA; default hidden size)
 * @param positionEmbeddingType {@code position_embedding_type} (only "absolute" is supported)
 */
public record BertConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    double layerNormEps,
    int maxPositionEmbeddings,
    int typeVocabSize,
    int padTokenId,
    int embeddingSize,
    String positionEmbeddingType) {

  /** Model types whose position ids count from {@code pad_token_id + 1}, skipping padding. */
  static final Set<String> ROBERTA_TYPES = Set.of("roberta", "xlm-roberta", "camembert");

  public BertConfig {
    if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
      throw new ConfigException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (numHiddenLayers < 0 || intermediateSize <= 0 || vocabSize <= 0 || maxPositionEmbeddings <= 0) {
      throw new ConfigException("bad BERT config: num_hidden_layers " + numHiddenLayers + ", intermediate_size "
          + intermediateSize + ", vocab_size " + vocabSize + ", max_position_embeddings " + maxPositionEmbeddings);
    }
    if (!"absolute".equals(positionEmbeddingType)) {
      throw new ConfigException("position_embedding_type '" + positionEmbeddingType + "' is not supported (only 'absolute')");
    }
  }

  /** Reads the fields from config.json. */
  public static BertConfig from(ConfigJson c) {
    String type = c.modelType();
    boolean roberta = ROBERTA_TYPES.contains(type);
    int hidden = c.integer("hidden_size");
    return new BertConfig(
        type,
        c.integer("vocab_size"),
        hidden,
        c.integer("num_hidden_layers"),
        c.integer("num_attention_heads"),
        c.integer("intermediate_size"),
        c.string("hidden_act", "gelu"),
        c.number("layer_norm_eps", 1e-12),
        c.integer("max_position_embeddings", 512),
        c.integer("type_vocab_size", 2),
        c.integer("pad_token_id", roberta ? 1 : 0),
        c.integer("embedding_size", hidden),
        c.string("position_embedding_type", "absolute"));
  }

  /** Whether position ids skip padding (RoBERTa family). */
  public boolean padAwarePositions() {
    return ROBERTA_TYPES.contains(modelType);
  }
}
