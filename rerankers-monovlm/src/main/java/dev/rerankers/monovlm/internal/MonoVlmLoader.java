package dev.rerankers.monovlm.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.LoraAdapter;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.Qwen2VlConfig;
import dev.rerankers.transformers.models.Qwen2VlModel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns a resolved spec into a {@link MonoVlmScorer}: finds the base model (the model itself, or a
 * LoRA adapter's base), the processor files, loads Qwen2-VL with the adapter merged, the tokenizer
 * and the image processor, and checks that they agree.
 */
public final class MonoVlmLoader {
  /** Python rerankers' default {@code processor_name}. */
  static final String DEFAULT_PROCESSOR = "Qwen/Qwen2-VL-2B-Instruct";
  private static final String TOKENIZER = "tokenizer.json";
  private static final String PREPROCESSOR = "preprocessor_config.json";
  private static final System.Logger LOG = System.getLogger(MonoVlmLoader.class.getName());
  /** Option keys named in messages. */
  private static final String BASE_MODEL = "baseModel";
  private static final String PROCESSOR = "processor";

  private MonoVlmLoader() {}

  /** Loads the ranker a spec describes, with its checked options. */
  public static MonoVlmScorer load(RerankerSpec spec, MonoVlmSettings settings) {
    Placement placement = settings.placement();
    ModelSource source = ModelSource.of(spec);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("architecture", "Qwen2VLForConditionalGeneration");
    LoraAdapter adapter = null;
    ModelSource base = source;
    try {
      if (LoraAdapter.isAdapter(source)) {
        adapter = LoraAdapter.open(source, placement);
        String baseId = settings.baseModel().or(adapter::baseModel).orElseThrow(() ->
            new ConfigException("LoRA adapter " + source.id() + " names no base_model_name_or_path; set the option "
                + BASE_MODEL));
        base = resolve(spec, settings, baseId, source, adapter.baseRevision().orElse(null), BASE_MODEL);
        details.put("baseModel", base.id());
        details.putAll(adapter.describe());
      } else if (settings.baseModel().isPresent()) {
        throw new ConfigException("option " + BASE_MODEL + " applies to LoRA adapters, but "
            + source.id() + " has no adapter_config.json");
      }
      ModelSource processorSource = processorSource(spec, settings, source, base);
      details.put("processor", processorSource.id());

      ImageProcessorConfig imageConfig = ImageProcessorConfig.read(processorSource.file(PREPROCESSOR))
          .withPixels(pixels(settings.minPixels()), pixels(settings.maxPixels()));
      Qwen2VlConfig config = Qwen2VlConfig.read(base.file("config.json"));
      Qwen2VlConfig.Vision v = config.vision();
      if (imageConfig.patchSize() != v.patchSize() || imageConfig.temporalPatchSize() != v.temporalPatchSize()
          || imageConfig.mergeSize() != v.spatialMergeSize()) {
        throw new ConfigException("the image processor of " + processorSource.id() + " cuts " + imageConfig.patchSize()
            + "-pixel patches (temporal " + imageConfig.temporalPatchSize() + ", merge " + imageConfig.mergeSize()
            + ") but the model expects " + v.patchSize() + " (temporal " + v.temporalPatchSize() + ", merge "
            + v.spatialMergeSize() + "); set the option " + PROCESSOR + " to the model's processor");
      }
      details.put("minPixels", Long.toString(imageConfig.minPixels()));
      details.put("maxPixels", Long.toString(imageConfig.maxPixels()));

      HfTokenizer tokenizer = HfTokenizer.load(processorSource);
      try {
        long imagePad = vocab(tokenizer, MonoVlmPrompt.IMAGE_PAD, processorSource);
        if (imagePad != config.imageTokenId()) {
          throw new ModelLoadException("the tokenizer of " + processorSource.id() + " maps " + MonoVlmPrompt.IMAGE_PAD
              + " to " + imagePad + " but the model's image_token_id is " + config.imageTokenId());
        }
        String falseToken = settings.tokenFalse();
        String trueToken = settings.tokenTrue();
        long falseId = vocab(tokenizer, falseToken, processorSource);
        long trueId = vocab(tokenizer, trueToken, processorSource);
        MonoVlmPrompt prompt = new MonoVlmPrompt(tokenizer, settings.promptTemplate(), imagePad);
        Qwen2VlModel model = loadModel(base, config, placement, adapter);
        details.put("tokens", falseToken + "=" + falseId + ", " + trueToken + "=" + trueId);
        details.put("score", settings.returnLogits() ? "logit(" + trueToken + ")"
            : "softmax(" + falseToken + ", " + trueToken + ")[" + trueToken + "]");
        details.put("batchSize", Integer.toString(settings.batchSize()));
        details.put("cpuChunkMb", Long.toString(settings.cpuChunkBytes() >> 20));
        RerankerInfo info = new RerankerInfo(spec.type(), spec.model(), "monovlm", placement.deviceName(),
            placement.dtypeName(), details);
        return new MonoVlmScorer(info, model, tokenizer, prompt, new Qwen2VlImageProcessor(imageConfig),
            new ImageLoader(settings.images()), settings.batchSize(), falseId, trueId, settings.returnLogits(),
            placement.isCpu() ? settings.cpuChunkBytes() : 0);
      } catch (RuntimeException e) {
        tokenizer.close();
        throw e;
      }
    } finally {
      if (adapter != null) {
        adapter.close();
      }
    }
  }

  /** Opens the base weights, merges the adapter (if any) as they load, and checks every tensor was used. */
  private static Qwen2VlModel loadModel(ModelSource base, Qwen2VlConfig config, Placement placement,
      LoraAdapter adapter) {
    Weights w = Weights.open(base, placement);
    try {
      if (adapter != null) {
        adapter.mergeInto(w);
      }
      Qwen2VlModel model = Qwen2VlModel.load(w, config);
      if (adapter != null) {
        adapter.checkMerged(w);
      }
      w.checkAllUsed();
      return model;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /**
   * The processor files: the {@code processor} option; else the model's own (when it has a
   * tokenizer.json and a preprocessor_config.json); else the base model's; else Python's default
   * {@value #DEFAULT_PROCESSOR}.
   */
  private static ModelSource processorSource(RerankerSpec spec, MonoVlmSettings settings, ModelSource source,
      ModelSource base) {
    if (settings.processor().isPresent()) {
      return resolve(spec, settings, settings.processor().get(), source, null, PROCESSOR);
    }
    for (ModelSource s : source == base ? List.of(source) : List.of(source, base)) {
      if (s.optionalFile(TOKENIZER).isPresent() && s.optionalFile(PREPROCESSOR).isPresent()) {
        return s;
      }
    }
    LOG.log(System.Logger.Level.INFO, "{0} has no tokenizer.json + preprocessor_config.json: using {1}''s, as Python "
        + "rerankers does (option {2})", source.id(), DEFAULT_PROCESSOR, PROCESSOR);
    return resolve(spec, settings, DEFAULT_PROCESSOR, source, null, PROCESSOR);
  }

  /**
   * Another model named by the adapter or an option: an existing folder (as given, or relative to
   * a local adapter's folder, where PEFT's relative base paths usually point), else a Hub id
   * fetched with the load's Hub options.
   */
  static ModelSource resolve(RerankerSpec spec, MonoVlmSettings settings, String name, ModelSource from,
      String revision, String option) {
    Path local = ModelSource.localFolder(name);
    if (local != null) {
      return ModelSource.local(local);
    }
    if (from.isLocal()) {
      try {
        Path relative = Path.of(from.id()).resolve(name).normalize();
        if (Files.isDirectory(relative)) {
          return ModelSource.local(relative);
        }
      } catch (InvalidPathException e) {
        // not a path: a Hub id
      }
    }
    Reranker.Builder b = Reranker.builder(name).type(spec.type());
    settings.hubOptions().forEach(b::option);
    if (revision != null) {
      b.option(RerankerSpec.REVISION, revision);
    }
    try {
      return ModelSource.of(b.resolve());
    } catch (ModelLoadException e) {
      throw new ModelLoadException("cannot open '" + name + "' (from " + from.id() + "): " + e.getMessage()
          + "; set the option " + option + " to its folder", e);
    }
  }

  private static long vocab(HfTokenizer tokenizer, String token, ModelSource source) {
    OptionalLong id = tokenizer.tokenId(token);
    if (id.isEmpty()) {
      throw new ModelLoadException("the tokenizer of " + source.id() + " has no token '" + token + "'");
    }
    return id.getAsLong();
  }

  private static Long pixels(java.util.OptionalInt value) {
    return value.isPresent() ? (long) value.getAsInt() : null;
  }
}
