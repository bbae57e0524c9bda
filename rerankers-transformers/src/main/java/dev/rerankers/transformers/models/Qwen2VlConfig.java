package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.json.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Qwen2-VL {@code config.json} ({@code model_type} {@code qwen2_vl}, transformers' {@code
 * Qwen2VLConfig}), in both layouts found in the wild: transformers 5's nested {@code text_config}
 * (with {@code rope_parameters.mrope_section}) and the v4 flat layout of Hub checkpoints (text
 * fields at the top level, {@code rope_theta}, {@code rope_scaling = {type: mrope,
 * mrope_section}}). The text side becomes a Qwen2 {@link DecoderConfig}; M-RoPE's rope type
 * {@code mrope} is plain rotary with sectioned 3-D positions, as transformers reads it.
 *
 * @param text the language model (a Qwen2 decoder; {@code tieWordEmbeddings} from the top level
 *     when set there, as {@code Qwen2VLConfig} does)
 * @param vision the vision tower
 * @param mropeSection the rotary channels (of {@code head_dim / 2}) driven by the temporal,
 *     height and width position ids
 * @param imageTokenId {@code image_token_id} ({@code <|image_pad|>})
 * @param videoTokenId {@code video_token_id}
 * @param visionStartTokenId {@code vision_start_token_id}
 * @param visionEndTokenId {@code vision_end_token_id}
 */
public record Qwen2VlConfig(
    DecoderConfig text,
    Vision vision,
    List<Integer> mropeSection,
    long imageTokenId,
    long videoTokenId,
    long visionStartTokenId,
    long visionEndTokenId) {

  public Qwen2VlConfig {
    mropeSection = List.copyOf(mropeSection);
    if (mropeSection.size() != 3) {
      throw new ConfigException("mrope_section must have 3 entries (temporal, height, width), got " + mropeSection);
    }
    int sum = 0;
    for (int s : mropeSection) {
      if (s < 0) {
        throw new ConfigException("mrope_section entries must be >= 0, got " + mropeSection);
      }
      sum += s;
    }
    if (2 * sum != text.headDim()) {
      throw new ConfigException("mrope_section " + mropeSection + " covers " + sum + " rotary frequencies but head_dim "
          + text.headDim() + " has " + text.headDim() / 2);
    }
    if (vision.hiddenSize() != text.hiddenSize()) {
      throw new ConfigException("vision_config.hidden_size " + vision.hiddenSize()
          + " (the patch merger's output) differs from the language model's hidden_size " + text.hiddenSize());
    }
    for (long id : new long[] {imageTokenId, videoTokenId, visionStartTokenId, visionEndTokenId}) {
      if (id < 0 || id >= text.vocabSize()) {
        throw new ConfigException("vision token id " + id + " is outside the vocabulary of " + text.vocabSize());
      }
    }
  }

  /**
   * The vision tower ({@code vision_config}, transformers' {@code Qwen2VLVisionConfig}).
   *
   * @param depth {@code depth}: transformer blocks
   * @param embedDim {@code embed_dim}: block width
   * @param hiddenSize {@code hidden_size}: the patch merger's output (the language model's width)
   * @param hiddenAct {@code hidden_act} of the block MLPs (default {@code quick_gelu})
   * @param mlpHidden {@code int(embed_dim · mlp_ratio)}
   * @param numHeads {@code num_heads}
   * @param inChannels {@code in_channels} (v4: {@code in_chans}), default 3
   * @param patchSize {@code patch_size} (v4 also {@code spatial_patch_size}), default 14
   * @param spatialMergeSize {@code spatial_merge_size}, default 2
   * @param temporalPatchSize {@code temporal_patch_size}, default 2
   */
  public record Vision(int depth, int embedDim, int hiddenSize, String hiddenAct, int mlpHidden, int numHeads,
      int inChannels, int patchSize, int spatialMergeSize, int temporalPatchSize) {
    public Vision {
      if (depth <= 0 || embedDim <= 0 || hiddenSize <= 0 || mlpHidden <= 0 || numHeads <= 0 || inChannels <= 0
          || patchSize <= 0 || spatialMergeSize <= 0 || temporalPatchSize <= 0) {
        throw new ConfigException("vision_config values must be positive: depth " + depth + ", embed_dim " + embedDim
            + ", hidden_size " + hiddenSize + ", mlp hidden " + mlpHidden + ", num_heads " + numHeads + ", in_channels "
            + inChannels + ", patch_size " + patchSize + ", spatial_merge_size " + spatialMergeSize
            + ", temporal_patch_size " + temporalPatchSize);
      }
      if (embedDim % numHeads != 0 || (embedDim / numHeads) % 4 != 0) {
        throw new ConfigException("vision embed_dim " + embedDim + " / num_heads " + numHeads
            + " must give a head size divisible by 4 (2-D rotary embeddings)");
      }
    }

    /** Channels per attention head. */
    public int headDim() {
      return embedDim / numHeads;
    }

    /** Values per flattened patch: {@code in_channels · temporal_patch_size · patch_size²}. */
    public int patchValues() {
      return inChannels * temporalPatchSize * patchSize * patchSize;
    }
  }

  /** Whether a config.json describes a Qwen2-VL model. */
  public static boolean supports(ConfigJson c) {
    return c.modelType().equals("qwen2_vl") || c.architectures().contains("Qwen2VLForConditionalGeneration");
  }

  /**
   * Reads a config.json.
   *
   * @throws ModelLoadException when the file cannot be read or parsed
   * @throws ConfigException when it is not a Qwen2-VL config or a value is invalid
   */
  public static Qwen2VlConfig read(Path file) {
    return from(file.toString(), JsonFile.readObject(file));
  }


  /**
   * Reads a parsed config.json.
   *
   * @throws ConfigException when it is not a Qwen2-VL config or a value is invalid
   */
  public static Qwen2VlConfig from(String source, Map<String, Object> map) {
    ConfigJson top = ConfigJson.of(source, map);
    if (!supports(top)) {
      throw new ConfigException(source + ": model_type '" + top.modelType() + "' (architectures " + top.architectures()
          + ") is not Qwen2-VL (qwen2_vl / Qwen2VLForConditionalGeneration)");
    }
    boolean nested = map.get("text_config") instanceof Map;
    Map<String, Object> textMap = new LinkedHashMap<>(nested ? cast((Map<?, ?>) map.get("text_config")) : map);
    textMap.remove("vision_config");
    textMap.remove("text_config");
    List<Integer> section = mropeSection(source, textMap, map);
    // the Qwen2 decoder view: M-RoPE's rope type is plain rotary over sectioned positions
    for (String key : List.of("rope_parameters", "rope_scaling")) {
      if (textMap.get(key) instanceof Map<?, ?> rope) {
        Map<String, Object> plain = new LinkedHashMap<>(cast(rope));
        Object type = plain.getOrDefault("rope_type", plain.get("type"));
        String kind = type == null ? "default" : type.toString().toLowerCase(Locale.ROOT);
        if (!kind.equals("mrope") && !kind.equals("default")) {
          throw new ConfigException(source + ": Qwen2-VL " + key + " type '" + type + "' is not supported (mrope/default)");
        }
        plain.remove("type");
        plain.remove("mrope_section");
        plain.put("rope_type", "default");
        if (key.equals("rope_parameters") && !plain.containsKey("rope_theta") && textMap.get("rope_theta") != null) {
          plain.put("rope_theta", textMap.get("rope_theta"));
        }
        textMap.put(key, plain);
      }
    }
    textMap.put("model_type", "qwen2");
    textMap.remove("architectures");
    textMap.remove("head_dim"); // Qwen2VLAttention always uses hidden_size / num_attention_heads
    Object tie = map.get("tie_word_embeddings");
    if (tie == null) {
      tie = textMap.getOrDefault("tie_word_embeddings", Boolean.FALSE);
    }
    textMap.put("tie_word_embeddings", tie);
    DecoderConfig text = DecoderConfig.from(ConfigJson.of(source + (nested ? "#text_config" : ""), textMap));
    if (text.hiddenSize() % text.numAttentionHeads() != 0) {
      throw new ConfigException(source + ": hidden_size " + text.hiddenSize() + " is not a multiple of num_attention_heads "
          + text.numAttentionHeads());
    }

    ConfigJson v = top.object("vision_config");
    if (v == null) {
      throw new ConfigException(source + ": a Qwen2-VL config needs a vision_config object");
    }
    int embed = v.integer("embed_dim", 1280);
    double ratio = v.number("mlp_ratio", 4);
    int patch = v.integer("patch_size", v.integer("spatial_patch_size", 14));
    Vision vision = new Vision(
        v.integer("depth", 32),
        embed,
        v.integer("hidden_size", 3584),
        v.string("hidden_act", "quick_gelu"),
        (int) (embed * ratio),
        v.integer("num_heads", 16),
        v.integer("in_channels", v.integer("in_chans", 3)),
        patch,
        v.integer("spatial_merge_size", 2),
        v.integer("temporal_patch_size", 2));

    // defaults as transformers' Qwen2VLConfig (the Qwen2-VL vocabulary)
    return new Qwen2VlConfig(text, vision, section,
        top.integer("image_token_id", 151655),
        top.integer("video_token_id", 151656),
        top.integer("vision_start_token_id", 151652),
        top.integer("vision_end_token_id", 151653));
  }

  private static List<Integer> mropeSection(String source, Map<String, Object> text, Map<String, Object> top) {
    for (Map<String, Object> m : List.of(text, top)) {
      for (String key : List.of("rope_parameters", "rope_scaling")) {
        if (m.get(key) instanceof Map<?, ?> rope && rope.get("mrope_section") instanceof List<?> list) {
          List<Integer> out = new ArrayList<>();
          for (Object o : list) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
              throw new ConfigException(source + ": mrope_section must hold integers, got " + list);
            }
            out.add(n.intValue());
          }
          return out;
        }
      }
    }
    throw new ConfigException(source + ": no mrope_section in rope_parameters or rope_scaling; Qwen2-VL needs the "
        + "temporal/height/width split of its rotary channels");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
