package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.transformers.nn.RotaryScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A decoder-only language model's {@code config.json}, resolved into what the shared {@link
 * DecoderModel} needs: the fields of the Gemma, Gemma2, Qwen2, Qwen3 and MiniCPM configs (and
 * BAAI's {@code cost_wise_gemma}, a Gemma2 config) with each family's fixed choices made
 * explicit. Reads transformers 5 keys ({@code rope_parameters}, {@code layer_types}) and the v4
 * keys most Hub checkpoints carry ({@code rope_theta}, {@code rope_scaling}).
 *
 * @param family the architecture family
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param numHiddenLayers {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param numKeyValueHeads {@code num_key_value_heads} (default: the attention heads)
 * @param headDim {@code head_dim} (default as transformers: Gemma/Gemma2 256, Qwen3 128, else
 *     {@code hidden_size / num_attention_heads})
 * @param intermediateSize {@code intermediate_size}
 * @param hiddenAct the MLP activation: Gemma2 {@code hidden_activation}, Gemma {@code
 *     hidden_activation} when set else {@code hidden_act}, others {@code hidden_act}
 * @param rmsNormEps {@code rms_norm_eps}
 * @param maxPositionEmbeddings {@code max_position_embeddings}
 * @param rope rotary embeddings with the config's theta and scaling
 * @param tieWordEmbeddings {@code tie_word_embeddings}: the LM head is the embedding table
 * @param qkvBias whether q/k/v projections carry biases (Qwen2 always; else {@code attention_bias})
 * @param outputBias whether o_proj carries a bias ({@code attention_bias}, never for Qwen2)
 * @param qkNorm per-head q/k RMS norms (Qwen3)
 * @param normOffsetOne RMS norm scale {@code 1 + w} (Gemma, Gemma2)
 * @param sandwichNorms Gemma2's extra post-attention and pre/post-feed-forward norms
 * @param embeddingScale factor on the embeddings: Gemma {@code √hidden_size} (rounded to the
 *     compute dtype), MiniCPM {@code scale_emb}, else 1
 * @param embeddingScaleInDtype whether the embedding factor is first rounded to the compute dtype (Gemma)
 * @param residualScale factor on each block's output before the residual add: MiniCPM {@code
 *     scale_depth / √num_hidden_layers}, else 1
 * @param attentionScale factor on {@code q kᵀ}: {@code head_dim^-½}, Gemma2 {@code query_pre_attn_scalar^-½}
 * @param attnLogitSoftcap Gemma2 {@code attn_logit_softcapping}, or 0
 * @param finalLogitSoftcap Gemma2 {@code final_logit_softcapping}, or 0
 * @param logitsHiddenDivisor MiniCPM divides the final hidden state by {@code hidden_size /
 *     dim_model_base} before its LM head; else 1
 * @param slidingWindows per layer: the sliding window ({@code i − j < w}), 0 for full attention
 */
public record DecoderConfig(
    Family family,
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    int intermediateSize,
    String hiddenAct,
    double rmsNormEps,
    int maxPositionEmbeddings,
    RotaryScaling rope,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean outputBias,
    boolean qkNorm,
    boolean normOffsetOne,
    boolean sandwichNorms,
    double embeddingScale,
    boolean embeddingScaleInDtype,
    double residualScale,
    double attentionScale,
    double attnLogitSoftcap,
    double finalLogitSoftcap,
    double logitsHiddenDivisor,
    List<Integer> slidingWindows) {

  /** The decoder families, by {@code model_type}. */
  public enum Family {
    /** {@code gemma}: transformers' {@code GemmaForCausalLM}. */
    GEMMA,
    /** {@code gemma2} (and BAAI's {@code cost_wise_gemma}): {@code Gemma2ForCausalLM}. */
    GEMMA2,
    /** {@code qwen2}: {@code Qwen2ForCausalLM}. */
    QWEN2,
    /** {@code qwen3}: {@code Qwen3ForCausalLM}. */
    QWEN3,
    /** {@code minicpm} (OpenBMB remote code, and BAAI's layerwise MiniCPM reranker). */
    MINICPM
  }

  public DecoderConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || numHiddenLayers <= 0 || intermediateSize <= 0) {
      throw new ConfigException("vocab_size, hidden_size, num_hidden_layers and intermediate_size must be positive, got "
          + vocabSize + ", " + hiddenSize + ", " + numHiddenLayers + ", " + intermediateSize);
    }
    if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
      throw new ConfigException("num_attention_heads " + numAttentionHeads
          + " is not a positive multiple of num_key_value_heads " + numKeyValueHeads);
    }
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new ConfigException("head_dim must be even and positive, got " + headDim);
    }
    slidingWindows = List.copyOf(slidingWindows);
    if (slidingWindows.size() != numHiddenLayers) {
      throw new ConfigException(slidingWindows.size() + " layer types for " + numHiddenLayers + " layers");
    }
  }

  /** Whether a config.json's {@code model_type} is a supported decoder family. */
  public static boolean supports(ConfigJson c) {
    return family(c) != null;
  }

  /**
   * Reads a decoder config.
   *
   * @throws ConfigException when the model type is not a supported decoder or a value is invalid
   */
  public static DecoderConfig from(ConfigJson c) {
    Family family = family(c);
    if (family == null) {
      throw new ConfigException(c.source() + ": model_type '" + c.modelType() + "' (architectures "
          + c.architectures() + ") is not a supported decoder; supported: gemma, gemma2, cost_wise_gemma, qwen2, qwen3, minicpm");
    }
    int hidden = c.integer("hidden_size");
    int layers = c.integer("num_hidden_layers");
    int heads = c.integer("num_attention_heads");
    int kvHeads = c.integer("num_key_value_heads", heads);
    int headDim = c.integer("head_dim", switch (family) {
      case GEMMA, GEMMA2 -> 256;
      case QWEN3 -> 128;
      default -> hidden / heads;
    });
    if (family == Family.MINICPM && hidden % heads != 0) {
      throw new ConfigException(c.source() + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
    }
    int maxPos = c.integer("max_position_embeddings", 2048);
    boolean gemma = family == Family.GEMMA || family == Family.GEMMA2;
    String act = switch (family) {
      case GEMMA2 -> c.string("hidden_activation", c.string("hidden_act", "gelu_pytorch_tanh"));
      case GEMMA -> c.string("hidden_activation", c.string("hidden_act", "gelu_pytorch_tanh"));
      default -> c.string("hidden_act", "silu");
    };
    boolean attentionBias = c.bool("attention_bias", false);
    boolean qkvBias = family == Family.QWEN2 || attentionBias;
    boolean outputBias = family != Family.QWEN2 && attentionBias;
    double embScale = switch (family) {
      case GEMMA, GEMMA2 -> Math.sqrt(hidden);
      case MINICPM -> c.number("scale_emb", 1);
      default -> 1;
    };
    double residual = family == Family.MINICPM ? c.number("scale_depth", 1) / Math.sqrt(layers) : 1;
    double attScale = family == Family.GEMMA2
        ? Math.pow(c.number("query_pre_attn_scalar", 256), -0.5) : Math.pow(headDim, -0.5);
    double divisor = family == Family.MINICPM ? hidden / c.number("dim_model_base", 1) : 1;
    boolean tieDefault = switch (family) {
      case GEMMA, GEMMA2, MINICPM -> true;
      default -> false;
    };
    return new DecoderConfig(
        family,
        c.integer("vocab_size"),
        hidden,
        layers,
        heads,
        kvHeads,
        headDim,
        c.integer("intermediate_size"),
        act,
        c.number("rms_norm_eps", 1e-6),
        maxPos,
        rope(c, headDim, maxPos),
        c.bool("tie_word_embeddings", tieDefault),
        qkvBias,
        outputBias,
        family == Family.QWEN3,
        gemma,
        family == Family.GEMMA2,
        embScale,
        gemma,
        residual,
        attScale,
        family == Family.GEMMA2 ? c.number("attn_logit_softcapping", 0) : 0,
        family == Family.GEMMA2 ? c.number("final_logit_softcapping", 0) : 0,
        divisor,
        windows(c, family, layers));
  }

  private static Family family(ConfigJson c) {
    String type = c.modelType().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "gemma" -> Family.GEMMA;
      case "gemma2", "cost_wise_gemma" -> Family.GEMMA2;
      case "qwen2" -> Family.QWEN2;
      case "qwen3" -> Family.QWEN3;
      case "minicpm" -> Family.MINICPM;
      default -> {
        for (String a : c.architectures()) {
          if (a.startsWith("CostWiseGemma") || a.startsWith("Gemma2")) {
            yield Family.GEMMA2;
          } else if (a.startsWith("Gemma")) {
            yield Family.GEMMA;
          } else if (a.startsWith("Qwen2For")) {
            yield Family.QWEN2;
          } else if (a.startsWith("Qwen3For")) {
            yield Family.QWEN3;
          } else if (a.contains("MiniCPM")) {
            yield Family.MINICPM;
          }
        }
        yield null;
      }
    };
  }

  /** Theta and scaling from {@code rope_parameters} (v5) or {@code rope_theta} + {@code rope_scaling} (v4). */
  private static RotaryScaling rope(ConfigJson c, int headDim, int maxPos) {
    ConfigJson params = c.object("rope_parameters");
    if (params != null && params.has("rope_theta")) {
      return RotaryScaling.fromParameters(headDim, params.number("rope_theta", 10000), maxPos, params::raw);
    }
    double theta = c.number("rope_theta", 10000);
    ConfigJson scaling = c.object("rope_scaling");
    return RotaryScaling.fromParameters(headDim, theta, maxPos, scaling == null ? null : scaling::raw);
  }

  /** Per layer: {@code layer_types} when given, else each family's rule. */
  private static List<Integer> windows(ConfigJson c, Family family, int layers) {
    List<String> types = c.strings("layer_types");
    if (!types.isEmpty() && types.size() != layers) {
      throw new ConfigException(c.source() + ": layer_types has " + types.size() + " entries for " + layers + " layers");
    }
    int window = c.integer("sliding_window", family == Family.GEMMA2 ? 4096 : 0);
    List<Integer> out = new ArrayList<>(layers);
    for (int i = 0; i < layers; i++) {
      boolean sliding;
      if (!types.isEmpty()) {
        String t = types.get(i);
        if (!t.equals("full_attention") && !t.equals("sliding_attention")) {
          throw new ConfigException(c.source() + ": layer type '" + t + "' is not supported");
        }
        sliding = t.equals("sliding_attention");
      } else {
        sliding = switch (family) {
          case GEMMA2 -> i % 2 == 0;
          case QWEN2, QWEN3 -> c.bool("use_sliding_window", false) && i >= c.integer("max_window_layers", layers);
          default -> false;
        };
      }
      if (sliding && window <= 0) {
        throw new ConfigException(c.source() + ": layer " + i + " uses sliding attention but sliding_window is "
            + c.raw("sliding_window"));
      }
      out.add(sliding ? window : 0);
    }
    return out;
  }
}
