package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
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

/** Turns a resolved spec and its settings into an {@link LlmScorer}: tokenizer, prompt, decoder and score rule. */
public final class LlmLoader {
  private static final System.Logger LOG = System.getLogger(LlmLoader.class.getName());

  /** BAAI's layerwise and decoder rankers. */
  public static final String LAYERWISE = "llm-layerwise";
  /** mxbai-rerank v2. */
  public static final String MXBAI_V2 = "mxbaiv2";
  /** Qwen3-Reranker. */
  public static final String QWEN3 = "qwen3-reranker";

  /** Python rerankers' {@code DEFAULT_PARAMS}, by the model name's last path segment. */
  private static final Map<String, LayerwiseParams> DEFAULTS = Map.of(
      "bge-reranker-v2-minicpm-layerwise", new LayerwiseParams(List.of(28), 1, List.of()),
      "bge-reranker-v2.5-gemma2-lightweight", new LayerwiseParams(List.of(28), 2, List.of(24, 40)));

  private LlmLoader() {}

  /** Loads the ranker a spec describes, with its checked options. */
  public static Scorer load(RerankerSpec spec, LlmSettings settings) {
    ModelSource source = ModelSource.of(spec);
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    // the prompts truncate themselves: the tokenizer must not cut at model_max_length
    HfTokenizer tokenizer = HfTokenizer.builder(source).maxLength(Integer.MAX_VALUE).build();
    try {
      PromptTokenizer prompts = new PromptTokenizer(tokenizer);
      return switch (spec.type()) {
        case MXBAI_V2 -> mxbai(spec, settings, source, config, tokenizer, prompts);
        case QWEN3 -> qwen3(spec, settings, source, config, tokenizer, prompts);
        case LAYERWISE -> layerwise(spec, settings, source, config, tokenizer, prompts);
        default -> throw new ConfigException("the llmlayerwise backend does not serve type " + spec.type());
      };
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static Scorer mxbai(RerankerSpec spec, LlmSettings s, ModelSource source, ConfigJson config,
      HfTokenizer tokenizer, PromptTokenizer prompts) {
    DecoderConfig dc = DecoderConfig.from(config);
    MxbaiPrompt prompt = new MxbaiPrompt(prompts, s.instruction().orElse(null), s.maxLength(),
        dc.maxPositionEmbeddings());
    long pos = firstId(prompts, "1", spec.model());
    long neg = firstId(prompts, "0", spec.model());
    DirectMemory.check(source, s.placement(), k -> true, spec.model());
    CausalLm lm = CausalLm.load(source, s.placement());
    return new LlmScorer(spec.type(), spec.model(), tokenizer, prompt,
        new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.DIFFERENCE, "logit(\"1\") - logit(\"0\")",
            pos, neg), s.batchSize(), s.prefixCache(), s.cpuChunkBytes());
  }

  private static Scorer qwen3(RerankerSpec spec, LlmSettings s, ModelSource source, ConfigJson config,
      HfTokenizer tokenizer, PromptTokenizer prompts) {
    DecoderConfig.from(config);
    Qwen3Prompt prompt = new Qwen3Prompt(prompts, s.instruction().orElse(null), s.maxLength());
    long yes = vocabId(prompts, "yes", spec.model());
    long no = vocabId(prompts, "no", spec.model());
    DirectMemory.check(source, s.placement(), k -> true, spec.model());
    CausalLm lm = CausalLm.load(source, s.placement());
    return new LlmScorer(spec.type(), spec.model(), tokenizer, prompt,
        new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.PROBABILITY, "P(yes) = softmax(no, yes)[yes]",
            yes, no), s.batchSize(), s.prefixCache(), s.cpuChunkBytes());
  }

  private static Scorer layerwise(RerankerSpec spec, LlmSettings s, ModelSource source, ConfigJson config,
      HfTokenizer tokenizer, PromptTokenizer prompts) {
    BgePrompt prompt = new BgePrompt(prompts, s.prompt(), s.maxLength());
    boolean miniCpm = config.architectures().contains("LayerWiseMiniCPMForCausalLM");
    boolean costWise = (config.architectures().contains("CostWiseGemmaForCausalLM")
        || config.modelType().equals("cost_wise_gemma")) && config.bool("layer_wise", false);
    if (!miniCpm && !costWise) {
      if (!s.layerOptions().isEmpty()) {
        throw new ConfigException("option " + s.layerOptions().get(0) + " applies to BAAI's layerwise checkpoints, but "
            + spec.model() + " (" + architecture(config) + ") is a plain causal LM scored by the 'Yes' logit; remove "
            + "the option");
      }
      long yes = firstId(prompts, "Yes", spec.model());
      DirectMemory.check(source, s.placement(), k -> true, spec.model());
      CausalLm lm = CausalLm.load(source, s.placement());
      return new LlmScorer(spec.type(), spec.model(), tokenizer, prompt,
          new TokenScoreModel(lm, architecture(config), TokenScoreModel.Rule.LOGIT, "logit(\"Yes\")", yes), s.batchSize(),
          s.prefixCache(), s.cpuChunkBytes());
    }
    return new LlmScorer(spec.type(), spec.model(), tokenizer, prompt,
        layerwiseModel(spec, s, source, config, miniCpm), s.batchSize(), s.prefixCache(), s.cpuChunkBytes());
  }

  private static LayerwiseModel layerwiseModel(RerankerSpec spec, LlmSettings s, ModelSource source, ConfigJson config,
      boolean miniCpm) {
    Placement placement = s.placement();
    DecoderConfig dc = DecoderConfig.from(config);
    int layers = dc.numHiddenLayers();
    LayerwiseParams params = params(spec.model(), s);
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
    boolean stop = s.stopAtCutoff();
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

  /** The parameters given, else Python rerankers' defaults for the model's name, else BAAI's (last layer, no compression). */
  static LayerwiseParams params(String model, LlmSettings s) {
    return s.layers().orElseGet(() -> {
      String name = model.replace('\\', '/');
      name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      return DEFAULTS.getOrDefault(name, LayerwiseParams.lastLayer());
    });
  }

  /** {@code tokenizer(text, add_special_tokens=False)["input_ids"][0]}, as the Python code picks score tokens. */
  private static long firstId(PromptTokenizer prompts, String text, String model) {
    long[] ids = prompts.ids(text);
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
  private static long vocabId(PromptTokenizer prompts, String token, String model) {
    OptionalLong id = prompts.tokenId(token);
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
