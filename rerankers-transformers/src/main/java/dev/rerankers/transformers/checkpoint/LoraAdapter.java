package dev.rerankers.transformers.checkpoint;

import ai.djl.ndarray.NDArray;
import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.json.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A PEFT LoRA adapter ({@code adapter_config.json} + {@code adapter_model.safetensors}) merged into
 * a base checkpoint's weights as they load: each adapted linear layer's weight becomes {@code W +
 * scale · B · A} (transposed when {@code fan_in_fan_out}), with {@code scale = lora_alpha / r}
 * ({@code lora_alpha / √r} with {@code use_rslora}), rank and alpha per module from {@code
 * rank_pattern} / {@code alpha_pattern} as PEFT matches them (a pattern key selects a module named
 * exactly so or ending in {@code "." + key}, the key being a regular expression). This is PEFT's
 * {@code merge_and_unload} arithmetic, done once at load time, so inference costs nothing extra.
 *
 * <p>Adapter tensors are named {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code
 * .lora_B.weight} [out, r]. The module's base weight is {@code <module>.weight}; checkpoints and
 * adapters saved under transformers 4 and 5 module names ({@code model.layers…} vs {@code
 * model.language_model.layers…}, {@code visual…} vs {@code model.visual…}) are matched to each
 * other. Every adapter tensor must select a module that {@code target_modules} names and that the
 * base checkpoint has, with matching shapes.
 *
 * <p>Not supported (a {@link ConfigException} says so): DoRA ({@code use_dora}), trained biases
 * ({@code bias} other than {@code none}), {@code modules_to_save}, LoRA on embeddings or
 * convolutions, and non-LoRA PEFT types.
 *
 * <p>Use: {@link #open}, {@link #mergeInto} the base {@link Weights} before building the model,
 * {@link #checkMerged} after, then {@link #close}. Loading is single-threaded.
 */
public final class LoraAdapter implements AutoCloseable {
  /** The adapter's config file. */
  public static final String CONFIG = "adapter_config.json";
  /** The adapter's weights file. */
  public static final String WEIGHTS = "adapter_model.safetensors";

  private static final String PREFIX = "base_model.model.";
  private static final String A_SUFFIX = ".lora_A.weight";
  private static final String B_SUFFIX = ".lora_B.weight";
  /** Equivalent module-name prefixes of transformers 4 and 5 checkpoints (either direction). */
  private static final List<String[]> RENAMES = List.of(
      new String[] {"model.language_model.", "model."},
      new String[] {"model.visual.", "visual."},
      new String[] {"language_model.model.", "model."});

  private final String id;
  private final Map<String, Object> config;
  private final Weights weights;
  private final List<Module> modules;
  private final String baseModel;

  /**
   * One adapted module.
   *
   * @param name the module path (adapter naming)
   * @param aKey the {@code lora_A} tensor
   * @param bKey the {@code lora_B} tensor
   * @param rank {@code r}
   * @param scale the factor on {@code B · A}
   */
  public record Module(String name, String aKey, String bKey, int rank, double scale) {}

  private LoraAdapter(String id, Map<String, Object> config, Weights weights, List<Module> modules, String baseModel) {
    this.id = id;
    this.config = config;
    this.weights = weights;
    this.modules = modules;
    this.baseModel = baseModel;
  }

  /** Whether a model source holds a LoRA adapter (an {@code adapter_config.json}). */
  public static boolean isAdapter(ModelSource source) {
    return source.optionalFile(CONFIG).isPresent();
  }

  /**
   * Reads an adapter.
   *
   * @throws ModelLoadException when its files are missing or unreadable
   * @throws ConfigException for a PEFT type or feature that is not supported
   * @throws CheckpointException when the tensors disagree with the config
   */
  public static LoraAdapter open(ModelSource source, Placement placement) {
    Path configFile = source.file(CONFIG);
    Map<String, Object> config = JsonFile.readObject(configFile);
    String where = source.id() + "/" + CONFIG;
    String type = string(config, "peft_type", "LORA");
    if (!type.equalsIgnoreCase("LORA")) {
      throw new ConfigException(where + ": peft_type " + type + " is not supported; only LoRA adapters can be merged");
    }
    if (Boolean.TRUE.equals(config.get("use_dora"))) {
      throw new ConfigException(where + ": DoRA adapters (use_dora) are not supported; merge it with PEFT's "
          + "merge_and_unload() and load the merged model instead");
    }
    String bias = string(config, "bias", "none");
    if (!bias.equals("none")) {
      throw new ConfigException(where + ": bias '" + bias + "' (trained biases) is not supported; merge the adapter "
          + "with PEFT's merge_and_unload() and load the merged model instead");
    }
    if (config.get("modules_to_save") instanceof List<?> l && !l.isEmpty()) {
      throw new ConfigException(where + ": modules_to_save " + l + " is not supported; merge the adapter with PEFT's "
          + "merge_and_unload() and load the merged model instead");
    }
    Optional<Path> file = source.optionalFile(WEIGHTS);
    if (file.isEmpty()) {
      throw new ModelLoadException("adapter " + source.id() + " has no " + WEIGHTS
          + (source.optionalFile("adapter_model.bin").isPresent()
              ? " (only a pickled adapter_model.bin, which is not read: save it with safe_serialization=True)" : ""));
    }
    Weights w = Weights.open(List.of(file.get()), placement);
    try {
      List<Module> modules = modules(where, config, w);
      Object base = config.get("base_model_name_or_path");
      return new LoraAdapter(source.id(), config, w, modules,
          base instanceof String s && !s.isBlank() ? s : null);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** {@code base_model_name_or_path}, if the config names one. */
  public Optional<String> baseModel() {
    return Optional.ofNullable(baseModel);
  }

  /** {@code revision}: the base model's revision the adapter was trained on, if the config names one. */
  public Optional<String> baseRevision() {
    return config.get("revision") instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  /** The adapted modules, sorted by name. */
  public List<Module> modules() {
    return modules;
  }

  /**
   * Registers every module's update on the base weights ({@link Weights#addDelta}); the sums
   * happen when the model's blocks load those tensors.
   *
   * @throws CheckpointException naming the module when the base has no matching weight or its
   *     shape disagrees with the adapter's
   */
  public void mergeInto(Weights base) {
    boolean transpose = Boolean.TRUE.equals(config.get("fan_in_fan_out"));
    for (Module m : modules) {
      String key = baseKey(base, m.name());
      long[] a = weights.info(m.aKey()).orElseThrow().shape();
      long[] b = weights.info(m.bKey()).orElseThrow().shape();
      long[] w = base.info(key).orElseThrow().shape();
      if (w.length != 2 || b[0] != w[transpose ? 1 : 0] || a[1] != w[transpose ? 0 : 1]) {
        throw new CheckpointException("adapter " + id + " adapts " + m.name() + " with lora_B " + Arrays.toString(b)
            + " and lora_A " + Arrays.toString(a) + " but the base weight " + key + " has shape "
            + Arrays.toString(w));
      }
      float scale = (float) m.scale();
      base.addDelta(key, manager -> {
        NDArray la = weights.getFloat32(m.aKey());
        NDArray lb = weights.getFloat32(m.bKey());
        NDArray product = lb.matMul(la);
        NDArray delta = product.mul(scale);
        product.close();
        la.close();
        lb.close();
        if (transpose) {
          NDArray t = delta.transpose();
          NDArray copy = t.duplicate();
          delta.close();
          return copy;
        }
        return delta;
      });
    }
  }

  /**
   * Checks that the model loaded every adapted weight, so every update was applied.
   *
   * @throws CheckpointException listing the updates no block loaded
   */
  public void checkMerged(Weights base) {
    if (!base.pendingDeltas().isEmpty()) {
      List<String> pending = new ArrayList<>(base.pendingDeltas());
      throw new CheckpointException("adapter " + id + " updates " + pending.size() + " weight(s) the model never loads: "
          + (pending.size() > 10 ? pending.subList(0, 10) + " ..." : pending));
    }
  }

  /** What the adapter is, for {@code RerankerInfo} details. */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("adapter", id);
    d.put("loraModules", Integer.toString(modules.size()));
    d.put("loraR", String.valueOf(config.get("r")));
    d.put("loraAlpha", String.valueOf(config.get("lora_alpha")));
    return d;
  }

  /** Frees the adapter's tensors (the merged weights belong to the base). */
  @Override
  public void close() {
    weights.close();
  }

  /** The base checkpoint key of a module's weight, trying the transformers 4/5 naming variants. */
  private String baseKey(Weights base, String module) {
    String direct = module + ".weight";
    if (base.has(direct)) {
      return direct;
    }
    for (String[] r : RENAMES) {
      for (int dir = 0; dir < 2; dir++) {
        String from = r[dir];
        String to = r[1 - dir];
        if (module.startsWith(from)) {
          String k = to + module.substring(from.length()) + ".weight";
          if (base.has(k)) {
            return k;
          }
        }
      }
    }
    throw new CheckpointException("adapter " + id + " adapts module " + module + " but the base checkpoint has no "
        + direct + " (is base_model_name_or_path the model the adapter was trained on?)");
  }

  private static List<Module> modules(String where, Map<String, Object> config, Weights w) {
    Map<String, String> aKeys = new TreeMap<>();
    Map<String, String> bKeys = new TreeMap<>();
    for (String key : new TreeSet<>(w.keys())) {
      String k = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
      if (k.endsWith(A_SUFFIX)) {
        aKeys.put(k.substring(0, k.length() - A_SUFFIX.length()), key);
      } else if (k.endsWith(B_SUFFIX)) {
        bKeys.put(k.substring(0, k.length() - B_SUFFIX.length()), key);
      } else {
        throw new ConfigException(where + ": adapter tensor " + key + " is not a LoRA A/B matrix of a linear layer "
            + "(embedding/convolution LoRA, biases and DoRA magnitudes are not supported)");
      }
    }
    if (!aKeys.keySet().equals(bKeys.keySet())) {
      TreeSet<String> odd = new TreeSet<>(aKeys.keySet());
      odd.addAll(bKeys.keySet());
      odd.removeIf(m -> aKeys.containsKey(m) && bKeys.containsKey(m));
      throw new CheckpointException(where + ": modules with only one of lora_A / lora_B: " + odd);
    }
    if (aKeys.isEmpty()) {
      throw new CheckpointException(where + ": the adapter holds no lora_A / lora_B tensors");
    }
    int r = integer(where, config, "r", 8);
    double alpha = number(where, config, "lora_alpha", 8);
    boolean rslora = Boolean.TRUE.equals(config.get("use_rslora"));
    Map<String, Object> rankPattern = map(config.get("rank_pattern"));
    Map<String, Object> alphaPattern = map(config.get("alpha_pattern"));
    Object targets = config.get("target_modules");
    List<Module> out = new ArrayList<>();
    for (Map.Entry<String, String> e : aKeys.entrySet()) {
      String module = e.getKey();
      if (!targeted(where, targets, module)) {
        throw new CheckpointException(where + ": the adapter holds tensors for " + module + " but target_modules "
            + targets + " does not select it");
      }
      int rank = patternValue(where, rankPattern, module).map(Number::intValue).orElse(r);
      double a = patternValue(where, alphaPattern, module).map(Number::doubleValue).orElse(alpha);
      long[] aShape = w.info(e.getValue()).orElseThrow().shape();
      long[] bShape = w.info(bKeys.get(module)).orElseThrow().shape();
      if (aShape.length != 2 || bShape.length != 2 || aShape[0] != rank || bShape[1] != rank) {
        throw new CheckpointException(where + ": module " + module + " has lora_A " + Arrays.toString(aShape)
            + " and lora_B " + Arrays.toString(bShape) + " but its rank is " + rank);
      }
      double scale = rslora ? a / Math.sqrt(rank) : a / rank;
      out.add(new Module(module, e.getValue(), bKeys.get(module), rank, scale));
    }
    return Collections.unmodifiableList(out);
  }

  /** PEFT's check_target_module_exists: a regex must match the whole name; a list entry, the name or its last parts. */
  private static boolean targeted(String where, Object targets, String module) {
    if (targets == null) {
      return true;
    }
    if (targets instanceof String s) {
      if (s.equals("all-linear")) {
        return true;
      }
      try {
        return Pattern.compile(s).matcher(module).matches();
      } catch (PatternSyntaxException ex) {
        throw new ConfigException(where + ": target_modules '" + s + "' is not a valid regular expression: "
            + ex.getDescription());
      }
    }
    if (targets instanceof List<?> list) {
      for (Object o : list) {
        String t = String.valueOf(o);
        if (module.equals(t) || module.endsWith("." + t)) {
          return true;
        }
      }
      return false;
    }
    throw new ConfigException(where + ": target_modules must be a string or a list, got " + targets);
  }

  /** PEFT's get_pattern_key: the first key {@code k} with {@code (^|.*\.)k$} matching the module. */
  private static Optional<Number> patternValue(String where, Map<String, Object> patterns, String module) {
    for (Map.Entry<String, Object> e : patterns.entrySet()) {
      boolean match;
      try {
        match = Pattern.compile("(^|.*\\.)" + e.getKey() + "$").matcher(module).matches();
      } catch (PatternSyntaxException ex) {
        throw new ConfigException(where + ": pattern key '" + e.getKey() + "' is not a valid regular expression");
      }
      if (match) {
        if (!(e.getValue() instanceof Number n) || n.doubleValue() <= 0) {
          throw new ConfigException(where + ": pattern '" + e.getKey() + "' must map to a positive number, got "
              + e.getValue());
        }
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  private static String string(Map<String, Object> config, String key, String def) {
    Object o = config.get(key);
    return o == null ? def : o.toString();
  }

  private static int integer(String where, Map<String, Object> config, String key, int def) {
    Object o = config.get(key);
    if (o == null) {
      return def;
    }
    if (!(o instanceof Number n) || n.intValue() <= 0 || n.doubleValue() != n.intValue()) {
      throw new ConfigException(where + ": " + key + " must be a positive integer, got " + o);
    }
    return n.intValue();
  }

  private static double number(String where, Map<String, Object> config, String key, double def) {
    Object o = config.get(key);
    if (o == null) {
      return def;
    }
    if (!(o instanceof Number n)) {
      throw new ConfigException(where + ": " + key + " must be a number, got " + o);
    }
    return n.doubleValue();
  }
}
