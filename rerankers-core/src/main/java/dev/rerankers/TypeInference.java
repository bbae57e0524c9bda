package dev.rerankers;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Python library's model-type inference and defaults table ({@code rerankers/reranker.py} at
 * 7bb2521), ported rule for rule, in the same order, with three documented corrections: a family
 * name resolves to its own family ({@code pylate}, {@code upr}, {@code llm-relevance-filter} were
 * re-inferred from their default model id in Python); an explicit {@code mixedbread.ai} type works;
 * a provider key matched only case-insensitively still names its provider. Java-only additions:
 * {@code qwen3-reranker}, {@code dense}, {@code onnx-cross-encoder}, and refining the fallback guess
 * from a local folder's {@code config.json}.
 */
final class TypeInference {

  /** Python's PROVIDERS list, in order. */
  static final List<String> API_PROVIDERS =
      List.of(
          "cohere", "jina", "voyage", "mixedbread.ai", "pinecone", "isaacus", "text-embeddings-inference");

  /** Python's DEFAULTS (family → lang → model), plus the Java-only families at the end. */
  static final Map<String, Map<String, String>> DEFAULTS = defaults();

  /** Python's name-keyword table for inference, in order (first substring match wins). */
  private static final List<String[]> KEYWORDS =
      List.of(
          new String[] {"lit5", "lit5"},
          new String[] {"t5", "t5"},
          new String[] {"inranker", "t5"},
          new String[] {"rankllm", "rankllm"},
          new String[] {"rankgpt", "rankgpt"},
          new String[] {"gpt", "rankgpt"},
          new String[] {"colbert", "colbert"},
          new String[] {"cohere", "cohere"},
          new String[] {"pinecone", "pinecone"},
          new String[] {"jina", "jina"},
          new String[] {"isaacus", "isaacus"},
          new String[] {"voyage", "voyage"},
          new String[] {"text-embeddings-inference", "text-embeddings-inference"},
          new String[] {"ms-marco-minilm-l-12-v2", "flashrank"},
          new String[] {"ms-marco-multibert-l-12", "flashrank"},
          new String[] {"vicuna", "rankllm"},
          new String[] {"zephyr", "rankllm"},
          new String[] {"bge-reranker-v2.5-gemma2-lightweight", "llm-layerwise"},
          new String[] {"monovlm", "monovlm"},
          new String[] {"monoqwen2-vl", "monovlm"},
          new String[] {"llm-relevance-filter", "llm-relevance-filter"},
          new String[] {"upr", "upr"},
          new String[] {"mxbaiv2", "mxbaiv2"},
          new String[] {"mxbai-rerank-base-v2", "mxbaiv2"},
          new String[] {"mxbai-rerank-large-v2", "mxbaiv2"},
          new String[] {"pylate", "pylate"},
          // Java-only, after every Python key so no Python name changes meaning.
          new String[] {"qwen3-reranker", "qwen3-reranker"});

  /** config.json architectures that refine a fallback guess for a local folder. */
  private static final Map<String, String> ARCHITECTURES =
      Map.ofEntries(
          Map.entry("T5ForConditionalGeneration", "t5"),
          Map.entry("MT5ForConditionalGeneration", "t5"),
          Map.entry("Qwen2VLForConditionalGeneration", "monovlm"),
          Map.entry("Qwen2ForCausalLM", "mxbaiv2"),
          Map.entry("Qwen3ForCausalLM", "qwen3-reranker"),
          Map.entry("GemmaForCausalLM", "llm-layerwise"),
          Map.entry("Gemma2ForCausalLM", "llm-layerwise"),
          Map.entry("CostWiseGemmaForCausalLM", "llm-layerwise"),
          Map.entry("LayerWiseMiniCPMForCausalLM", "llm-layerwise"),
          Map.entry("MiniCPMForCausalLM", "llm-layerwise"),
          Map.entry("HF_ColBERT", "colbert"));

  private TypeInference() {}

  /** What inference decided. */
  record Decision(String model, String type, String apiProvider, String reason) {}

  /**
   * Decides the model and type for a name, as Python's {@code Reranker(model_name, lang,
   * model_type)} does.
   *
   * @param name the name as given
   * @param lang the language for family defaults
   * @param explicitType the pinned type, or {@code null}
   */
  static Decision infer(String name, String lang, String explicitType) {
    String lower = name.toLowerCase(Locale.ROOT);
    String apiProvider = apiProviderOf(name, explicitType);

    if (apiProvider != null || API_PROVIDERS.contains(lower)) {
      if (API_PROVIDERS.contains(lower)) {
        String model = familyDefault(lower, lang);
        String type = explicitType != null ? explicitType : lower;
        return new Decision(
            model,
            type,
            isApiProvider(type) ? type : null,
            explicitType != null
                ? "type pinned; '" + name + "' is the " + lower + " family, default model for lang " + lang
                : "'" + name + "' is a hosted API provider; its default model for lang " + lang);
      }
      String type = explicitType != null ? explicitType : apiProvider;
      return new Decision(
          name,
          type,
          isApiProvider(type) ? type : null,
          explicitType != null
              ? "type pinned"
              : "the name contains the API provider key '" + apiProvider + "'");
    }
    if (DEFAULTS.containsKey(name)) {
      String model = familyDefault(name, lang);
      String type = explicitType != null ? explicitType : familyType(name);
      return new Decision(
          model,
          type,
          isApiProvider(type) ? type : null,
          (explicitType != null ? "type pinned; " : "")
              + "'" + name + "' is a family name; its default model for lang " + lang);
    }
    if (explicitType != null) {
      return new Decision(name, explicitType, isApiProvider(explicitType) ? explicitType : null, "type pinned");
    }
    return inferFromName(name);
  }

  /** Python's {@code _get_model_type} without an explicit type, refined by a local config.json. */
  private static Decision inferFromName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String[] kw : KEYWORDS) {
      if (lower.contains(kw[0])) {
        String type = kw[1];
        return new Decision(
            name, type, isApiProvider(type) ? type : null, "the name contains '" + kw[0] + "'");
      }
    }
    if (lower.contains("/")
        && (lower.contains("minilm") || lower.contains("bert") || lower.contains("cross-encoders/"))) {
      return new Decision(
          name, "cross-encoder", null, "a Hub id or path naming minilm, bert or cross-encoders/");
    }
    String refined = refineFromLocalFolder(name);
    if (refined != null) {
      return new Decision(name, refined, null, "the local folder's config.json says so");
    }
    return new Decision(
        name,
        "cross-encoder",
        null,
        "no rule matched; defaulting to a one-label cross-encoder as the Python library does");
  }

  /** Python's {@code _get_api_provider}: case-sensitive substring match on the name. */
  static String apiProviderOf(String name, String explicitType) {
    if (explicitType != null && !isApiProvider(explicitType)) {
      return null;
    }
    if (explicitType != null) {
      return explicitType;
    }
    for (String p : API_PROVIDERS) {
      if (name.contains(p)) {
        return p;
      }
    }
    return null;
  }

  static boolean isApiProvider(String type) {
    return API_PROVIDERS.contains(type);
  }

  /** The type a family name stands for (rankgpt3/rankgpt4 are RankGPT with other models). */
  static String familyType(String family) {
    return switch (family) {
      case "rankgpt3", "rankgpt4" -> "rankgpt";
      default -> family;
    };
  }

  /** A family's default for the language, falling back to "other", else a clear error. */
  static String familyDefault(String family, String lang) {
    Map<String, String> byLang = DEFAULTS.get(family);
    String model = byLang.get(lang);
    if (model == null) {
      model = byLang.get("other");
    }
    if (model == null) {
      throw new ConfigException(
          "model family '"
              + family
              + "' has no default for lang '"
              + lang
              + "' (it has: "
              + String.join(", ", byLang.keySet())
              + "); pass a model id instead, e.g. '"
              + family
              + ":"
              + byLang.values().iterator().next()
              + "'");
    }
    return model;
  }

  /**
   * For a local folder whose name matched no rule: the type its config.json architectures imply,
   * or an ONNX cross-encoder when it holds .onnx files and no PyTorch weights.
   */
  private static String refineFromLocalFolder(String name) {
    Path dir;
    try {
      dir = Path.of(name);
    } catch (InvalidPathException e) {
      return null;
    }
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<String> architectures = architectures(dir.resolve("config.json"));
    for (String arch : architectures) {
      String type = ARCHITECTURES.get(arch);
      if (type != null) {
        return type;
      }
    }
    boolean seqCls = architectures.stream().anyMatch(a -> a.endsWith("ForSequenceClassification"));
    if (seqCls && hasFile(dir, ".onnx") && !hasFile(dir, ".safetensors") && !hasFile(dir, ".bin")) {
      return "onnx-cross-encoder";
    }
    return seqCls ? "cross-encoder" : null;
  }

  private static List<String> architectures(Path config) {
    if (!Files.isRegularFile(config)) {
      return List.of();
    }
    try {
      Object json = dev.rerankers.json.Json.parse(Files.readString(config));
      if (json instanceof Map<?, ?> m && m.get("architectures") instanceof List<?> list) {
        List<String> out = new ArrayList<>();
        for (Object o : list) {
          if (o instanceof String s) {
            out.add(s);
          }
        }
        return out;
      }
    } catch (Exception e) {
      // An unreadable config.json only means no refinement; the backend reports it when loading.
      System.getLogger(TypeInference.class.getName())
          .log(System.Logger.Level.DEBUG, "cannot read " + config + ": " + e);
    }
    return List.of();
  }

  private static boolean hasFile(Path dir, String suffix) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(suffix));
    } catch (Exception e) {
      return false;
    }
  }

  private static Map<String, Map<String, String>> defaults() {
    Map<String, Map<String, String>> d = new LinkedHashMap<>();
    d.put("jina", langs("en", "jina-reranker-v1-base-en"));
    d.put("isaacus", langs("en", "kanon-universal-classifier"));
    d.put("pinecone", langs("en", "pinecone-rerank-v0"));
    d.put("cohere", langs("en", "rerank-english-v3.0", "other", "rerank-multilingual-v3.0"));
    d.put("voyage", langs("en", "rerank-lite-1"));
    d.put("mixedbread.ai", langs("en", "mixedbread-ai/mxbai-rerank-large-v1"));
    d.put(
        "cross-encoder",
        langs(
            "en", "mixedbread-ai/mxbai-rerank-base-v1",
            "fr", "antoinelouis/crossencoder-camembert-base-mmarcoFR",
            "zh", "BAAI/bge-reranker-base",
            "other", "corrius/cross-encoder-mmarco-mMiniLMv2-L12-H384-v1"));
    d.put("t5", langs("en", "unicamp-dl/InRanker-base", "other", "unicamp-dl/mt5-base-mmarco-v2"));
    d.put("lit5", langs("en", "castorini/LiT5-Distill-base"));
    d.put("rankgpt", langs("en", "gpt-4-turbo-preview", "other", "gpt-4-turbo-preview"));
    d.put("rankgpt3", langs("en", "gpt-3.5-turbo", "other", "gpt-3.5-turbo"));
    d.put("rankgpt4", langs("en", "gpt-4", "other", "gpt-4"));
    d.put("rankllm", langs("en", "rank_zephyr", "other", "rank_zephyr"));
    d.put(
        "colbert",
        langs(
            "en", "colbert-ir/colbertv2.0",
            "fr", "bclavie/FraColBERTv2",
            "ja", "bclavie/JaColBERTv2",
            "es", "AdrienB134/ColBERTv2.0-spanish-mmarcoES"));
    d.put("flashrank", langs("en", "ms-marco-MiniLM-L-12-v2", "other", "ms-marco-MultiBERT-L-12"));
    d.put("text-embeddings-inference", langs("other", "BAAI/bge-reranker-base"));
    d.put(
        "llm-layerwise",
        langs(
            "en", "BAAI/bge-reranker-v2.5-gemma2-lightweight",
            "other", "BAAI/bge-reranker-v2.5-gemma2-lightweight"));
    d.put("monovlm", langs("en", "lightonai/MonoQwen2-VL-v0.1", "other", "lightonai/MonoQwen2-VL-v0.1"));
    d.put("llm-relevance-filter", langs("en", "gpt-4-turbo-preview", "other", "gpt-4-turbo-preview"));
    d.put("upr", langs("en", "google/t5-large-lm-adapt"));
    d.put("mxbaiv2", langs("en", "mixedbread-ai/mxbai-rerank-base-v2"));
    d.put("pylate", langs("en", "lightonai/GTE-ModernColBERT-v1", "other", "lightonai/GTE-ModernColBERT-v1"));
    // Java-only families.
    d.put("qwen3-reranker", langs("en", "Qwen/Qwen3-Reranker-0.6B", "other", "Qwen/Qwen3-Reranker-0.6B"));
    d.put("dense", langs("en", "sentence-transformers/all-MiniLM-L6-v2"));
    return Collections.unmodifiableMap(d);
  }

  private static Map<String, String> langs(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
