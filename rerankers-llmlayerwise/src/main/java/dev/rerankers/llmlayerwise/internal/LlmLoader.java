package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.llmlayerwise.LlmProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.CausalLm;
import dev.rerankers.transformers.models.ConfigJson;
import dev.rerankers.transformers.models.DecoderConfig;
import dev.rerankers.transformers.models.DecoderModel;
import dev.rerankers.transformers.nn.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/** Turns a resolved spec into an {@link LlmScorer}: tokenizer, prompt recipe, decoder and score rule. */
public final class LlmLoader {
  private static final System.Logger LOG = System.getLogger(LlmLoader.class.getName());

  /** Python rerankers' {@code DEFAULT_PARAMS}, by the model name's last path segment. */
  private static final Map<String, LayerwiseParams> DEFAULTS = Map.of(
      "bge-reranker-v2-minicpm-layerwise", new LayerwiseParams(List.of(28), 1, List.of()),
      "bge-reranker-v2.5-gemma2-lightweight", new LayerwiseParams(List.of(28), 2, List.of(24, 40)));

  private LlmLoader() {}

  /** BAAI's cutoff and compression parameters ({@code cutoffLayers} empty: the last layer). */
  record LayerwiseParams(List<Integer> cutoffLayers, int compressRatio, List<Integer> compressLayers) {}

  /** Loads the ranker a spec describes. */
  public static Scorer load(RerankerSpec spec) {
    int batchSize = spec.intOption(RerankerSpec.BATCH_SIZE, 16);
    if (batchSize < 1) {
      throw new ConfigException("batchSize must be >= 1, got " + batchSize);
    }
    ModelSource source = ModelSource.of(spec);
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    Placement placement = Placement.resolve(spec.option(RerankerSpec.DEVICE).orElse(null),
        spec.option(RerankerSpec.DTYPE).orElse(null));
    // the recipes truncate themselves: the tokenizer must not cut at model_max_length
    HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(Integer.MAX_VALUE).build();
    try {
      TextEncoder encoder = new TextEncoder(tokenizer);
      return switch (spec.type()) {
        case LlmProvider.MXBAI_V2 -> mxbai(spec, source, config, placement, tokenizer, encoder, batchSize);
        case LlmProvider.QWEN3 -> qwen3(spec, source, config, placement, tokenizer, encoder, batchSize);
        case LlmProvider.LAYERWISE -> layerwise(spec, source, config, placement, tokenizer, encoder, batchSize);
        default -> throw new ConfigException("the llmlayerwise backend does not serve type " + spec.type());
      };
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static Scorer mxbai(RerankerSpec spec, ModelSource source, ConfigJson config, Placement placement,
      HfTokenizer tokenizer, TextEncoder encoder, int batchSize) {
    DecoderConfig dc = DecoderConfig.from(config);
    int maxLength = maxLength(spec, 8192);
    MxbaiPrompt recipe = new MxbaiPrompt(encoder, spec.option(LlmProvider.INSTRUCTION).orElse(null), maxLength,
        dc.maxPositionEmbeddings());
    long pos = firstId(encoder, "1", spec.model());
    long neg = firstId(encoder, "0", spec.model());
    DirectMemory.check(source, placement, k -> true, spec.model());
    CausalLm lm = CausalLm.load(source, placement);
    return new LlmScorer(spec.type(), spec.model(), tokenizer, recipe,
        new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.DIFFERENCE, "logit(\"1\") - logit(\"0\")",
            pos, neg), batchSize);
  }

  private static Scorer qwen3(RerankerSpec spec, ModelSource source, ConfigJson config, Placement placement,
      HfTokenizer tokenizer, TextEncoder encoder, int batchSize) {
    DecoderConfig.from(config);
    Qwen3Prompt recipe = new Qwen3Prompt(encoder, spec.option(LlmProvider.INSTRUCTION).orElse(null), maxLength(spec, 8192));
    long yes = vocabId(encoder, "yes", spec.model());
    long no = vocabId(encoder, "no", spec.model());
    DirectMemory.check(source, placement, k -> true, spec.model());
    CausalLm lm = CausalLm.load(source, placement);
    return new LlmScorer(spec.type(), spec.model(), tokenizer, recipe,
        new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.PROBABILITY, "P(yes) = softmax(no, yes)[yes]",
            yes, no), batchSize);
  }

  private static Scorer layerwise(RerankerSpec spec, ModelSource source, ConfigJson config, Placement placement,
      HfTokenizer tokenizer, TextEncoder encoder, int batchSize) {
    BgePrompt recipe = new BgePrompt(encoder, spec.option(LlmProvider.PROMPT).orElse(BgePrompt.DEFAULT_PROMPT),
        maxLength(spec, 512));
    boolean miniCpm = config.architectures().contains("LayerWiseMiniCPMForCausalLM");
    boolean costWise = (config.architectures().contains("CostWiseGemmaForCausalLM")
        || config.modelType().equals("cost_wise_gemma")) && config.bool("layer_wise", false);
    if (!miniCpm && !costWise) {
      for (String key : List.of(LlmProvider.CUTOFF_LAYERS, LlmProvider.COMPRESS_RATIO, LlmProvider.COMPRESS_LAYERS,
          LlmProvider.STOP_AT_CUTOFF)) {
        if (spec.option(key).isPresent()) {
          throw new ConfigException("option " + key + " applies to BAAI's layerwise checkpoints, but " + spec.model()
              + " (" + architecture(config) + ") is a plain causal LM scored by the 'Yes' logit; remove the option");
        }
      }
      long yes = firstId(encoder, "Yes", spec.model());
      DirectMemory.check(source, placement, k -> true, spec.model());
      CausalLm lm = CausalLm.load(source, placement);
      return new LlmScorer(spec.type(), spec.model(), tokenizer, recipe,
          new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.LOGIT, "logit(\"Yes\")", yes), batchSize);
    }
    return new LlmScorer(spec.type(), spec.model(), tokenizer, recipe,
        layerwiseModel(spec, source, config, placement, miniCpm), batchSize);
  }

  private static LayerwiseModel layerwiseModel(RerankerSpec spec, ModelSource source, ConfigJson config,
      Placement placement, boolean miniCpm) {
    DecoderConfig dc = DecoderConfig.from(config);
    int layers = dc.numHiddenLayers();
    LayerwiseParams params = params(spec);
    int start = config.integer("start_layer", miniCpm ? 8 : 28);
    int sep = miniCpm ? 1 : config.integer("layer_sep", 28);
    if (sep < 1) {
      throw new ConfigException(config.source() + ": layer_sep must be >= 1, got " + sep);
    }
    List<Integer> usable = new ArrayList<>();
    for (int l = start; l <= layers; l += sep) {
      usable.add(l);
    }
    TreeSet<Integer> cutoffs = new TreeSet<>(params.cutoffLayers().isEmpty() ? List.of(layers) : params.cutoffLayers());
    for (int c : cutoffs) {
      if (!usable.contains(c)) {
        throw new ConfigException("cutoff layer " + c + " has no scoring head in " + spec.model() + "; usable layers: "
            + describeRange(usable));
      }
    }
    int cutoff = cutoffs.last();
    if (miniCpm && (params.compressRatio() != 1 || !params.compressLayers().isEmpty())) {
      throw new ConfigException("token compression (compressRatio, compressLayers) is part of BAAI's Gemma2 lightweight "
          + "model, not of " + spec.model());
    }
    boolean stop = spec.booleanOption(LlmProvider.STOP_AT_CUTOFF, true);
    int run = stop ? cutoff : layers;
    DirectMemory.check(source, placement, k -> !k.startsWith("lm_head.") && layerOf(k) < run, spec.model());
    Weights w = Weights.open(source, placement);
    try {
      DecoderModel decoder = stop ? DecoderModel.loadFirst(w, "model.", dc, cutoff) : DecoderModel.load(w, "model.", dc);
      String headKey;
      if (miniCpm) {
        String headType = config.string("head_type", "simple");
        if (!headType.equals("simple")) {
          throw new ModelLoadException(spec.model() + " has head_type '" + headType
              + "'; only BAAI's 'simple' one-output scoring heads are supported");
        }
        headKey = config.bool("head_multi", true)
            ? "lm_head." + (cutoff - start) + ".linear_head.weight" : "lm_head.linear_head.weight";
      } else {
        // FlagEmbedding's CostWiseGemmaForCausalLM pairs the i-th requested cutoff (ascending) with head i
        headKey = "lm_head." + (cutoffs.size() - 1) + ".linear_head.weight";
      }
      if (!w.has(headKey)) {
        throw new CheckpointException("checkpoint of " + spec.model() + " has no scoring head " + headKey);
      }
      Linear head = new Linear(w.get(headKey, 1, dc.hiddenSize()), null);
      w.ignore(k -> k.startsWith("lm_head."));
      w.checkAllUsed();
      Map<String, String> d = new LinkedHashMap<>();
      d.put("architecture", architecture(config));
      d.put("layers", Integer.toString(layers));
      d.put("cutoffLayers", cutoffs.toString());
      d.put("scoringHead", headKey);
      d.put("stopAtCutoff", Boolean.toString(stop));
      if (params.compressRatio() > 1) {
        d.put("compressRatio", Integer.toString(params.compressRatio()));
        d.put("compressLayers", params.compressLayers().toString());
      }
      d.put("score", "head(norm(h[" + cutoff + "]))[last token]");
      return new LayerwiseModel(decoder, w, head, cutoff, stop ? cutoff : layers,
          miniCpm ? 0 : dc.finalLogitSoftcap(), params.compressRatio(), params.compressLayers(), d);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** The options given, else Python rerankers' defaults for the model's name, else BAAI's (last layer, no compression). */
  static LayerwiseParams params(RerankerSpec spec) {
    boolean any = spec.option(LlmProvider.CUTOFF_LAYERS).isPresent() || spec.option(LlmProvider.COMPRESS_RATIO).isPresent()
        || spec.option(LlmProvider.COMPRESS_LAYERS).isPresent();
    if (!any) {
      String name = spec.model().replace('\\', '/');
      name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      return DEFAULTS.getOrDefault(name, new LayerwiseParams(List.of(), 1, List.of()));
    }
    List<Integer> cutoffs = ints(spec, LlmProvider.CUTOFF_LAYERS);
    int ratio = spec.intOption(LlmProvider.COMPRESS_RATIO, 1);
    if (ratio < 1) {
      throw new ConfigException(LlmProvider.COMPRESS_RATIO + " must be >= 1, got " + ratio);
    }
    return new LayerwiseParams(cutoffs, ratio, ints(spec, LlmProvider.COMPRESS_LAYERS));
  }

  /** A list option: {@code 28}, {@code 24,40} or {@code [24, 40]}. */
  static List<Integer> ints(RerankerSpec spec, String key) {
    String v = spec.option(key).orElse("").strip();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    List<Integer> out = new ArrayList<>();
    for (String part : v.split("[,;\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        int n = Integer.parseInt(part);
        if (n < 0) {
          throw new NumberFormatException();
        }
        out.add(n);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a list of layer numbers like 24,40, got '" + spec.option(key).orElse("") + "'");
      }
    }
    return out;
  }

  private static int maxLength(RerankerSpec spec, int defaultValue) {
    int n = spec.intOption(RerankerSpec.MAX_LENGTH, defaultValue);
    if (n < 8) {
      throw new ConfigException("maxLength must be >= 8 for a decoder prompt, got " + n);
    }
    return n;
  }

  /** {@code tokenizer(text, add_special_tokens=False)["input_ids"][0]}, as the Python code picks score tokens. */
  private static long firstId(TextEncoder encoder, String text, String model) {
    long[] ids = encoder.ids(text);
    if (ids.length == 0) {
      throw new ModelLoadException("the tokenizer of " + model + " encodes '" + text + "' to no token");
    }
    if (ids.length > 1) {
      LOG.log(System.Logger.Level.WARNING, "the tokenizer of {0} splits ''{1}'' into {2} tokens; scoring its first, as Python does",
          model, text, ids.length);
    }
    return ids[0];
  }

  /** {@code tokenizer.convert_tokens_to_ids(token)}. */
  private static long vocabId(TextEncoder encoder, String token, String model) {
    OptionalLong id = encoder.tokenId(token);
    if (id.isEmpty()) {
      throw new ModelLoadException("the vocabulary of " + model + " has no token '" + token + "' (Qwen3-Reranker scores "
          + "the 'yes' and 'no' tokens)");
    }
    return id.getAsLong();
  }

  /** The layer index of a {@code model.layers.N.} key, else -1. */
  static int layerOf(String key) {
    String p = "model.layers.";
    if (!key.startsWith(p)) {
      return -1;
    }
    int end = key.indexOf('.', p.length());
    try {
      return Integer.parseInt(key.substring(p.length(), end));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static String architecture(ConfigJson config) {
    List<String> a = config.architectures();
    return a.isEmpty() ? config.modelType() : a.get(0);
  }

  private static String describeRange(List<Integer> usable) {
    if (usable.size() > 6) {
      return usable.get(0) + ".." + usable.get(usable.size() - 1)
          + (usable.size() > 1 && usable.get(1) - usable.get(0) > 1 ? " step " + (usable.get(1) - usable.get(0)) : "");
    }
    return usable.toString();
  }
}
