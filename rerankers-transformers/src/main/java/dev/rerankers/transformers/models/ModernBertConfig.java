package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a ModernBERT {@code config.json}, camelCase of the JSON names. Reads both the
 * transformers 5 layout ({@code layer_types}, {@code rope_parameters}) and the v4 keys most Hub
 * checkpoints carry ({@code global_attn_every_n_layers}, {@code global_rope_theta}, {@code
 * local_rope_theta}).
 *
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param numHiddenLayers {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param intermediateSize {@code intermediate_size}
 * @param hiddenActivation {@code hidden_activation} (default gelu)
 * @param normEps {@code norm_eps} (default 1e-5)
 * @param maxPositionEmbeddings {@code max_position_embeddings} (default 8192)
 * @param localAttention {@code local_attention} window (default 128; keys within half of it)
 * @param globalLayer per layer: full attention (else sliding window)
 * @param ropeTheta per layer: the rotary base
 * @param classifierPooling {@code classifier_pooling}: "cls" or "mean"
 * @param classifierActivation {@code classifier_activation} (default: hidden_activation)
 */
public record ModernBertConfig(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenActivation,
    double normEps,
    int maxPositionEmbeddings,
    int localAttention,
    List<Boolean> globalLayer,
    List<Double> ropeTheta,
    String classifierPooling,
    String classifierActivation) {

  public ModernBertConfig {
    if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
      throw new ConfigException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (!classifierPooling.equals("cls") && !classifierPooling.equals("mean")) {
      throw new ConfigException("classifier_pooling '" + classifierPooling + "' is not supported (cls, mean)");
    }
    globalLayer = List.copyOf(globalLayer);
    ropeTheta = List.copyOf(ropeTheta);
  }

  /** Reads the fields from config.json. */
  public static ModernBertConfig from(ConfigJson c) {
    int layers = c.integer("num_hidden_layers");
    List<String> types = c.strings("layer_types");
    if (!types.isEmpty() && types.size() != layers) {
      throw new ConfigException(c.source() + ": layer_types has " + types.size() + " entries for " + layers + " layers");
    }
    int every = c.integer("global_attn_every_n_layers", 3);
    ConfigJson rope = c.object("rope_parameters");
    List<Boolean> global = new ArrayList<>();
    List<Double> theta = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      boolean g = types.isEmpty() ? i % every == 0 : types.get(i).equals("full_attention");
      if (!types.isEmpty() && !g && !types.get(i).equals("sliding_attention")) {
        throw new ConfigException(c.source() + ": layer type '" + types.get(i) + "' is not supported");
      }
      global.add(g);
      String type = g ? "full_attention" : "sliding_attention";
      double t = g ? c.number("global_rope_theta", 160000.0) : c.number("local_rope_theta", 10000.0);
      if (rope != null && rope.object(type) != null) {
        t = rope.object(type).number("rope_theta", t);
      }
      theta.add(t);
    }
    String act = c.string("hidden_activation", "gelu");
    return new ModernBertConfig(
        c.integer("vocab_size"),
        c.integer("hidden_size"),
        layers,
        c.integer("num_attention_heads"),
        c.integer("intermediate_size"),
        act,
        c.number("norm_eps", 1e-5),
        c.integer("max_position_embeddings", 8192),
        c.integer("local_attention", 128),
        global,
        theta,
        c.string("classifier_pooling", "cls"),
        c.string("classifier_activation", act));
  }
}
