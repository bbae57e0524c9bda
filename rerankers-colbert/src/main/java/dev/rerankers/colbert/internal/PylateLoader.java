package dev.rerankers.colbert.internal;

import dev.rerankers.CheckpointException;
import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.json.JsonFile;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.ConfigJson;
import dev.rerankers.transformers.models.Encoder;
import dev.rerankers.transformers.models.Encoders;
import dev.rerankers.transformers.nn.Linear;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a PyLate model for the {@code pylate} type, resolving its settings as {@code
 * pylate.models.ColBERT} does (options, then the checkpoint's files, then PyLate's defaults):
 *
 * <ul>
 *   <li>sentence-transformers layout: {@code modules.json} naming a {@code Transformer} module
 *       (encoder, tokenizer, {@code sentence_bert_config.json}) and {@code Dense} modules (each a
 *       folder with {@code config.json} and {@code model.safetensors}), applied in order; {@code
 *       config_sentence_transformers.json} gives {@code query_prefix}, {@code document_prefix},
 *       {@code query_length}, {@code document_length}, {@code do_query_expansion}, {@code
 *       attend_to_expansion_tokens}, {@code skiplist_words} and the default prompt;
 *   <li>a Stanford-NLP ColBERT ({@code architectures: ["HF_ColBERT"]}) without modules.json:
 *       {@code linear.weight} beside the encoder, prefixes and lengths from {@code
 *       artifact.metadata} when present ({@code [unused0]}/{@code [unused1]} otherwise).
 * </ul>
 *
 * Defaults: prefixes {@code "[Q] "}/{@code "[D] "}, query 32 and document 180 tokens, query
 * expansion on, expansion tokens not attended to, Python's {@code string.punctuation} as skiplist.
 */
public final class PylateLoader {
  private static final System.Logger LOG = System.getLogger(PylateLoader.class.getName());
  /** Python's {@code string.punctuation}, one character per word. */
  static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private PylateLoader() {}

  /** What the checkpoint's files say (null where they are silent). */
  private static final class FileSettings {
    String queryPrefix;
    String documentPrefix;
    Integer queryLength;
    Integer documentLength;
    Boolean queryExpansion;
    Boolean attendToExpansion;
    List<String> skiplist;
    String prompt;
    boolean lowerCase;
  }

  /** Loads the ranker a spec describes, with its checked options. */
  public static LateInteractionScorer load(RerankerSpec spec, PylateSettings o) {
    ModelSource source = ModelSource.of(spec);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      FileSettings fs = new FileSettings();
      List<Weights> weights = new ArrayList<>();
      List<Linear> projections = new ArrayList<>();
      ModelSource encoderSource;
      Encoder encoder;
      String layout;
      Optional<Path> modules = source.optionalFile("modules.json");
      if (modules.isPresent()) {
        layout = "sentence-transformers";
        List<Map<String, Object>> mods = modules(modules.get());
        Map<String, Object> transformer = mods.stream()
            .filter(m -> String.valueOf(m.get("type")).endsWith("Transformer")).findFirst()
            .orElseThrow(() -> new ModelLoadException(modules.get() + " names no Transformer module"));
        encoderSource = SubfolderSource.of(source, String.valueOf(transformer.getOrDefault("path", "")));
        ConfigJson config = ConfigJson.read(encoderSource.file("config.json"));
        Weights w = Weights.open(encoderSource, o.placement());
        opened.add(w);
        weights.add(w);
        encoder = Encoders.load(w, config);
        w.checkAllUsed();
        for (Map<String, Object> m : mods) {
          String type = String.valueOf(m.get("type"));
          if (type.endsWith("Dense")) {
            ModelSource dense = SubfolderSource.of(source, String.valueOf(m.getOrDefault("path", "")));
            Weights dw = Weights.open(List.of(dense.file("model.safetensors")), o.placement());
            opened.add(dw);
            weights.add(dw);
            projections.add(dense(dense, dw));
          } else if (m != transformer) {
            LOG.log(System.Logger.Level.INFO, "module {0} of {1} is not used (PyLate keeps Transformer and Dense "
                + "modules only)", type, source.id());
          }
        }
        if (projections.isEmpty()) {
          throw new ModelLoadException(source.id() + " has no Dense module: PyLate would add an untrained "
              + "projection, so there is nothing meaningful to run");
        }
        encoderSource.optionalFile("sentence_bert_config.json")
            .ifPresent(p -> fs.lowerCase = Boolean.TRUE.equals(JsonFile.readObject(p).get("do_lower_case")));
        source.optionalFile("config_sentence_transformers.json").ifPresent(p -> readStConfig(JsonFile.readObject(p), fs));
      } else {
        encoderSource = source;
        ConfigJson config = ConfigJson.read(source.file("config.json"));
        if (!config.architectures().contains("HF_ColBERT")) {
          throw new ModelLoadException(source.id() + " has no modules.json and is not a Stanford ColBERT "
              + "(architectures " + config.architectures() + "): PyLate would add an untrained projection. Use a "
              + "PyLate checkpoint, or type colbert for an encoder with a linear.weight projection");
        }
        layout = "stanford-nlp";
        Weights w = Weights.open(source, o.placement());
        opened.add(w);
        weights.add(w);
        encoder = Encoders.load(w, config);
        if (!w.has("linear.weight")) {
          throw new CheckpointException(source.id() + " (HF_ColBERT) has no linear.weight projection");
        }
        long out = w.info("linear.weight").orElseThrow().shape()[0];
        projections.add(new Linear(w.get("linear.weight", out, encoder.hiddenSize()), null));
        w.ignore(k -> k.equals("linear.bias")); // Dense.from_stanford_weights loads the weight only
        w.checkAllUsed();
        fs.queryPrefix = "[unused0]";
        fs.documentPrefix = "[unused1]";
        source.optionalFile("artifact.metadata").ifPresent(p -> readMetadata(JsonFile.readObject(p), fs));
      }
      int queryLength = o.queryLength().orElse(orDefault(fs.queryLength, 32));
      int documentLength = o.documentLength().orElse(orDefault(fs.documentLength, 180));
      String queryPrefix = fs.queryPrefix != null ? fs.queryPrefix : "[Q] ";
      String documentPrefix = fs.documentPrefix != null ? fs.documentPrefix : "[D] ";
      HfTokenizer probe = HfTokenizer.builder(encoderSource).build();
      opened.add(probe);
      Long queryPrefixId = prefixId(probe, queryPrefix, source.id());
      Long documentPrefixId = prefixId(probe, documentPrefix, source.id());
      long expansion = ColbertLoader.specialId(probe, "mask_token")
          .or(() -> ColbertLoader.specialId(probe, "eos_token"))
          .or(() -> ColbertLoader.specialId(probe, "pad_token"))
          .orElseThrow(() -> new ModelLoadException("the tokenizer of " + source.id()
              + " has no mask, eos or pad token to expand queries with"));
      Set<Long> skiplist = new HashSet<>();
      Optional<Long> unk = ColbertLoader.specialId(probe, "unk_token");
      List<String> words = fs.skiplist != null ? fs.skiplist : PUNCTUATION.chars().mapToObj(c -> String.valueOf((char) c)).toList();
      for (String word : words) {
        var id = probe.tokenId(word);
        if (id.isPresent()) {
          skiplist.add(id.getAsLong());
        } else {
          unk.ifPresent(skiplist::add); // convert_tokens_to_ids gives the unknown token's id
        }
      }
      int queryMax = queryPrefixId != null ? queryLength - 1 : queryLength;
      int documentMax = documentPrefixId != null ? documentLength - 1 : documentLength;
      if (queryMax < 2 || documentMax < 2) {
        throw new ConfigException("query_length " + queryLength + " and document_length " + documentLength
            + " of " + source.id() + " leave no room for text");
      }
      HfTokenizer queryTokenizer = HfTokenizer.builder(encoderSource).maxLength(queryMax).build();
      opened.add(queryTokenizer);
      HfTokenizer documentTokenizer = HfTokenizer.builder(encoderSource).maxLength(documentMax).build();
      opened.add(documentTokenizer);
      long padId = probe.padId();
      probe.close();
      opened.remove(probe);
      PylateRecipe.Config config = new PylateRecipe.Config(queryPrefix, documentPrefix, queryPrefixId,
          documentPrefixId, queryLength, documentLength, orDefault(fs.queryExpansion, true),
          orDefault(fs.attendToExpansion, false), expansion, skiplist, fs.prompt, fs.lowerCase);
      if (queryLength > encoder.maxLength() || documentLength > encoder.maxLength()) {
        throw new ConfigException("query_length " + queryLength + " / document_length " + documentLength + " of "
            + source.id() + " exceed the encoder's " + encoder.maxLength() + " positions");
      }
      PylateRecipe recipe = new PylateRecipe(queryTokenizer, documentTokenizer, config);
      LateInteractionModel model = LateInteractionModel.onRuntime(spec.model(), encoder, projections, weights, padId,
          o.graph(), source, List.of(encoderSource.file("config.json")), "pylate", layout);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("layout", layout);
      return new LateInteractionScorer(spec.model(), recipe, model, new DocumentCache(o.cacheBytes()),
          o.batchSize(), details, queryTokenizer, documentTokenizer);
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** A sentence-transformers / PyLate Dense module: a linear layer with an identity activation. */
  private static Linear dense(ModelSource folder, Weights w) {
    Map<String, Object> c = JsonFile.readObject(folder.file("config.json"));
    String act = String.valueOf(c.getOrDefault("activation_function", "torch.nn.modules.linear.Identity"));
    if (!act.equals("torch.nn.modules.linear.Identity")) {
      throw new ModelLoadException("Dense module " + folder.id() + " uses activation " + act
          + "; only torch.nn.modules.linear.Identity (PyLate's projection) is supported");
    }
    if (Boolean.TRUE.equals(c.get("use_residual"))) {
      throw new ModelLoadException("Dense module " + folder.id() + " uses a residual connection, which is not supported");
    }
    long in = number(c, "in_features", folder);
    long out = number(c, "out_features", folder);
    Linear l = Linear.load(w, "linear", in, out);
    boolean bias = !Boolean.FALSE.equals(c.get("bias"));
    if (bias != w.has("linear.bias")) {
      throw new CheckpointException("Dense module " + folder.id() + " declares bias=" + bias + " but its weights "
          + (w.has("linear.bias") ? "hold" : "lack") + " linear.bias");
    }
    w.checkAllUsed();
    return l;
  }

  private static Long prefixId(HfTokenizer tokenizer, String prefix, String model) {
    if (prefix.isEmpty()) {
      return null;
    }
    var id = tokenizer.tokenId(prefix);
    if (id.isEmpty()) {
      throw new ModelLoadException("prefix token '" + prefix + "' is not in the tokenizer of " + model
          + ": PyLate would add it with an untrained embedding; save the model with PyLate first");
    }
    return id.getAsLong();
  }

  @SuppressWarnings("unchecked")
  private static void readStConfig(Map<String, Object> c, FileSettings fs) {
    if (c.containsKey("query_prefix")) {
      fs.queryPrefix = stringOrNull(c.get("query_prefix"));
    }
    if (c.containsKey("document_prefix")) {
      fs.documentPrefix = stringOrNull(c.get("document_prefix"));
    }
    fs.queryLength = intOrNull(c.get("query_length"));
    fs.documentLength = intOrNull(c.get("document_length"));
    fs.queryExpansion = c.get("do_query_expansion") instanceof Boolean b ? b : null;
    fs.attendToExpansion = c.get("attend_to_expansion_tokens") instanceof Boolean b ? b : null;
    if (c.get("skiplist_words") instanceof List<?> l) {
      fs.skiplist = l.stream().map(String::valueOf).toList();
    }
    if (c.get("default_prompt_name") instanceof String name && c.get("prompts") instanceof Map<?, ?> prompts) {
      Object p = ((Map<String, Object>) prompts).get(name);
      fs.prompt = p instanceof String s ? s : null;
    }
  }

  private static void readMetadata(Map<String, Object> m, FileSettings fs) {
    if (m.get("query_token_id") instanceof String s) {
      fs.queryPrefix = s;
    }
    if (m.get("doc_token_id") instanceof String s) {
      fs.documentPrefix = s;
    }
    fs.queryLength = intOrNull(m.get("query_maxlen"));
    fs.documentLength = intOrNull(m.get("doc_maxlen"));
    fs.attendToExpansion = m.get("attend_to_mask_tokens") instanceof Boolean b ? b : null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> modules(Path file) {
    Object o = JsonFile.read(file);
    if (!(o instanceof List<?> list)) {
      throw new ModelLoadException(file + " must hold a JSON list of modules");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : list) {
      if (!(e instanceof Map<?, ?> m)) {
        throw new ModelLoadException(file + " lists a module that is not an object: " + e);
      }
      out.add((Map<String, Object>) m);
    }
    out.sort(Comparator.comparingInt(m -> m.get("idx") instanceof Number n ? n.intValue() : 0));
    return out;
  }

  private static long number(Map<String, Object> c, String key, ModelSource folder) {
    if (c.get(key) instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    throw new ModelLoadException("Dense module " + folder.id() + " config.json needs a positive " + key);
  }

  private static String stringOrNull(Object o) {
    return o instanceof String s ? s : null;
  }

  private static Integer intOrNull(Object o) {
    return o instanceof Number n ? n.intValue() : null;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
