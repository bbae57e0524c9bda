package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankProvider;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What every loader of this module shares: batch options, ONNX file choice, tokenizer set-up. */
final class Loading {
  private static final System.Logger LOG = System.getLogger(Loading.class.getName());

  /**
   * Pairs or texts per ONNX Runtime call unless {@code batchSize} says otherwise: with batches
   * sorted by length, 8 was fastest on CPU in FlashRankBenchmark (MiniLM-L12, int8: 3.7x
   * FlashRank's one-batch-per-query on mixed lengths, 1.9x on uniform ones, against 1.4x and 1.2x
   * with 32). Raise it on a GPU.
   */
  static final int DEFAULT_BATCH_SIZE = 8;

  /** The ONNX files tried, in order, when no {@code file} option names one. */
  static final List<String> PREFERRED_ONNX = List.of("onnx/model.onnx", "model.onnx");

  private Loading() {}

  static int batchSize(RerankerSpec spec) {
    int b = spec.intOption(RerankerSpec.BATCH_SIZE, DEFAULT_BATCH_SIZE);
    if (b < 1) {
      throw new ConfigException("batchSize must be >= 1, got " + b);
    }
    return b;
  }

  static boolean sortByLength(RerankerSpec spec) {
    return spec.booleanOption(FlashRankProvider.SORT_BY_LENGTH, true);
  }

  /** The config files of the tokenizer (either may be absent). */
  static TokenizerConfig tokenizerConfig(ModelSource source) {
    return TokenizerConfig.read(
        source.optionalFile("tokenizer_config.json").orElse(null),
        source.optionalFile("special_tokens_map.json").orElse(null));
  }

  /**
   * The truncation length: {@code wanted}, lowered to the model's position table when that is
   * smaller (with a log line).
   */
  static int capToModel(int wanted, ModelConfig config, String label) {
    if (config.maxTokens() > 0 && wanted > config.maxTokens()) {
      LOG.log(Level.INFO, "{0}: truncating at {1} tokens, the model''s position table, instead of {2}",
          label, config.maxTokens(), wanted);
      return config.maxTokens();
    }
    return wanted;
  }

  /** The maxLength option, validated, if set. */
  static OptionalInt maxLengthOption(RerankerSpec spec) {
    if (spec.option(RerankerSpec.MAX_LENGTH).isEmpty()) {
      return OptionalInt.empty();
    }
    int v = spec.intOption(RerankerSpec.MAX_LENGTH, 0);
    if (v < 2) {
      throw new ConfigException("maxLength must be >= 2, got " + v);
    }
    return OptionalInt.of(v);
  }

  static HfTokenizer tokenizer(ModelSource source, int maxLength) {
    return HfTokenizer.builder(source).maxLength(maxLength).build();
  }

  /**
   * The ONNX file: the {@code file} option, else {@code onnx/model.onnx}, else {@code model.onnx},
   * else the only .onnx file; external-data files beside it are fetched too.
   */
  static Path onnxFile(ModelSource source, Optional<String> fileOption) {
    String chosen = null;
    if (fileOption.isPresent()) {
      chosen = fileOption.get().strip();
      if (!chosen.endsWith(".onnx")) {
        throw new ConfigException("option file must name an .onnx file in the model, got '" + chosen + "'");
      }
    } else {
      for (String p : PREFERRED_ONNX) {
        if (source.optionalFile(p).isPresent()) {
          chosen = p;
          break;
        }
      }
      if (chosen == null) {
        List<String> all = onnxFiles(source);
        if (all.size() == 1) {
          chosen = all.get(0);
        } else if (all.isEmpty()) {
          throw new ModelLoadException(source.id() + " has no .onnx file (files: " + abbreviate(source.files())
              + "); export one (e.g. optimum-cli export onnx) or use a PyTorch backend");
        } else {
          throw new ModelLoadException(source.id() + " has several .onnx files: " + String.join(", ", all)
              + "; pick one with the option file=<path>");
        }
      }
    }
    Path p;
    try {
      p = source.file(chosen);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("option file: " + e.getMessage(), e);
    } catch (ModelLoadException e) {
      List<String> all = onnxFiles(source);
      throw new ModelLoadException(e.getMessage() + (all.isEmpty() ? "" : "; its .onnx files: " + String.join(", ", all)), e);
    }
    source.optionalFile(chosen + "_data");
    source.optionalFile(chosen + ".data");
    return p;
  }

  /** A dtype label from the file name (quantized and fp16 exports say so in their names). */
  static String dtypeOf(Path onnx) {
    String n = onnx.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (n.contains("fp16") || n.contains("float16")) {
      return "fp16";
    }
    if (n.contains("quant") || n.contains("int8") || n.contains("_q.") || n.contains("-q.") || n.contains("_q4")) {
      return "int8";
    }
    return "fp32";
  }

  static List<String> onnxFiles(ModelSource source) {
    List<String> out = new ArrayList<>();
    for (String f : source.files()) {
      if (f.endsWith(".onnx")) {
        out.add(f);
      }
    }
    return out;
  }

  private static String abbreviate(List<String> files) {
    return files.size() <= 20 ? String.join(", ", files) : String.join(", ", files.subList(0, 20)) + ", ...";
  }

  /** Common details for {@code RerankerInfo}. */
  static Map<String, String> details(Path onnx, OnnxModel model, OnnxOptions options, int maxLength, int batchSize,
      boolean sorted) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("onnx", onnx.getFileName().toString());
    d.put("inputs", String.join(",", model.inputs()));
    d.put("maxLength", Integer.toString(maxLength));
    d.put("batchSize", Integer.toString(batchSize) + (sorted ? " (length-sorted)" : ""));
    d.put("runtime", "onnxruntime via DJL");
    if (options.intraOpThreads() > 0) {
      d.put("intraOpThreads", Integer.toString(options.intraOpThreads()));
    }
    d.put("optLevel", options.optLevel());
    return d;
  }
}
