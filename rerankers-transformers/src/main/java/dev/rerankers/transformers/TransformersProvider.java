package dev.rerankers.transformers;

import dev.rerankers.ConfigException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.RerankerProvider;
import dev.rerankers.spi.Scorer;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.internal.CheckpointFormat;
import dev.rerankers.transformers.internal.CrossEncoderLoader;
import dev.rerankers.transformers.internal.CrossEncoderSettings;
import dev.rerankers.transformers.graph.GraphRuntime;
import dev.rerankers.transformers.internal.InputTemplate;
import dev.rerankers.transformers.internal.PredictionTokens;
import dev.rerankers.transformers.internal.T5Loader;
import dev.rerankers.transformers.internal.T5Settings;
import dev.rerankers.transformers.internal.UprSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The transformers backend: cross-encoder rankers ({@code cross-encoder}) from Hugging Face
 * checkpoints, run on DJL's PyTorch engine by this module's own Java architectures (BERT, MiniLM,
 * TinyBERT, ELECTRA, RoBERTa, XLM-R, CamemBERT, DeBERTa-v2/v3, ModernBERT), or from TorchScript and
 * ONNX exports; T5 sequence-to-sequence rankers ({@code t5}: MonoT5, InRanker, mT5 mMARCO, ptT5)
 * and UPR ({@code upr}). Found by {@link java.util.ServiceLoader}; use {@code Reranker.load(...)}.
 *
 * <p>Each type's options are declared here, once ({@link #options(String)}): the keys, defaults and
 * ranges the config string accepts, and the one-line descriptions that docs/transformers.md and
 * docs/t5.md show. Core parses and checks the values; {@link #create(RerankerSpec, OptionValues)}
 * turns them into one settings record per type for the loaders, which never read the spec's raw
 * options.
 */
public final class TransformersProvider implements RerankerProvider {
  /** Python's {@code inputs_template} default. */
  private static final String DEFAULT_TEMPLATE = "Query: {query} Document: {text} Relevant:";
  private static final Set<String> TEMPLATE_FIELDS = Set.of("query", "text");

  /** Option (cross-encoder): sigmoid-normalised scores (default false: raw logits, as Python). */
  public static final Option<Boolean> SIGMOID =
      Option.bool("sigmoid", "return sigmoid(score), in 0..1, instead of the raw logit").defaultValue(false);

  /** Option (cross-encoder): checkpoint format, {@code auto} by default. */
  public static final Option<String> FORMAT =
      Option.choice("format", "checkpoint format; auto picks safetensors, then TorchScript (*.pt), then ONNX",
              "auto", "safetensors", "torchscript", "onnx")
          .defaultValue("auto");

  /**
   * Option (cross-encoder, safetensors on CPU): split each batch into forward passes whose largest
   * layer intermediate stays under this many MiB (default 16; 0 = never split). Scores do not
   * change; large fresh allocations cost more in page faults than the work they feed.
   */
  public static final Option<Integer> CPU_CHUNK_MB =
      Option.integer("cpuChunkMb",
              "on CPU, split a batch into forward passes whose largest layer intermediate stays under this many MiB; 0 never splits")
          .atLeast(0)
          .defaultValue((int) (CpuPasses.DEFAULT_BUDGET_BYTES >> 20));

  /**
   * Option (cross-encoder, ColBERT, PyLate): the runtime of a safetensors checkpoint: {@code
   * torch} (the Java architectures computed eagerly on libtorch), {@code onnx} (the same code
   * recorded once as an ONNX graph with ONNX Runtime's fused kernels, cached beside the checkpoint),
   * or {@code auto}: onnx on the CPU when DJL's OnnxRuntime engine is on the class path.
   */
  public static final Option<String> RUNTIME =
      Option.choice("runtime", "torch (eager libtorch), onnx (the model recorded as an ONNX graph, run by ONNX Runtime on the"
              + " CPU), or auto: onnx on the CPU when ai.djl.onnxruntime:onnxruntime-engine is present, else torch",
              "auto", "torch", "onnx")
          .defaultValue("auto");

  /** Option (cross-encoder, ColBERT, PyLate): int8 linear layers in the graph. */
  public static final Option<String> QUANTIZE =
      Option.choice("quantize", "int8: the graph's linear layers in int8 (weights quantised per channel at load,"
              + " activations per call); needs the onnx runtime", "none", "int8")
          .defaultValue("none");

  /** Option (cross-encoder, ColBERT, PyLate): where recorded graphs are kept. */
  public static final Option<String> GRAPH_CACHE =
      Option.text("graphCache", "folder for recorded ONNX graphs")
          .defaultDescribed("beside the checkpoint in the Hugging Face cache; for a local folder, RERANKERS_CACHE/graphs"
              + " (else ~/.cache/rerankers/graphs)");

  /** Option (cross-encoder, ColBERT, PyLate): ONNX Runtime's threads per operator. */
  public static final Option<Integer> INTRA_OP_THREADS =
      Option.integer("intraOpThreads", "runtime=onnx: ONNX Runtime threads inside one operator; 0 = one per core")
          .atLeast(0)
          .defaultValue(0);

  /** Option (cross-encoder, ColBERT, PyLate): ONNX Runtime's memory arena. */
  public static final Option<Boolean> MEMORY_ARENA =
      Option.bool("memoryArena", "runtime=onnx: keep activation memory between batches in ONNX Runtime's arena"
              + " (faster); false returns it after each batch (less memory held between batches; the arena"
              + " holds one cpuChunkMb pass's activations)")
          .defaultValue(true);

  /** The graph options, as every encoder backend on this module declares them. */
  public static final List<Option<?>> GRAPH_OPTIONS = List.of(RUNTIME, QUANTIZE, GRAPH_CACHE, INTRA_OP_THREADS,
      MEMORY_ARENA);

  /** Option (cross-encoder): monoBERT two-logit scoring. */
  public static final Option<Boolean> MONOBERT =
      Option.bool("monobert", "score a two-label model as logit[1] - logit[0] (monoBERT)")
          .defaultDescribed("true when the model name contains 'monobert' (Python's rule)");

  /** Option (t5): the "not relevant" token, a vocabulary piece or id, or {@code auto}. */
  public static final Option<String> TOKEN_FALSE = token("tokenFalse",
      "the 'not relevant' token: a vocabulary piece (▁false), a token id, or auto (Python's table by model id)");

  /** Option (t5): the "relevant" token, a vocabulary piece or id, or {@code auto}. */
  public static final Option<String> TOKEN_TRUE = token("tokenTrue",
      "the 'relevant' token: a vocabulary piece (▁true), a token id, or auto (Python's table by model id)");

  /** Option (t5): score with the raw logit of the true token (default false: P(true)). */
  public static final Option<Boolean> RETURN_LOGITS =
      Option.bool("returnLogits", "score with the raw logit of the true token instead of P(true)").defaultValue(false);

  /** Option (t5): the input template, with {@code {query}} and {@code {text}}. */
  public static final Option<String> INPUTS_TEMPLATE =
      Option.text("inputsTemplate", String.class, TransformersProvider::checkTemplate,
              "the model's input, Python str.format syntax with {query} and {text} (both required); {{ and }} for braces")
          .defaultValue(DEFAULT_TEMPLATE);

  /** Option (upr): the text before the passage (default {@code "Passage:"}). */
  public static final Option<String> VERBALIZER_HEAD =
      Option.text("verbalizerHead", "text before the passage").defaultValue("Passage:");

  /** Option (upr): the instruction after the passage. */
  public static final Option<String> VERBALIZER =
      Option.text("verbalizer", "instruction after the passage")
          .defaultValue("Please write a question based on this passage.");

  /** Option (upr): the query's truncation length in tokens (default 128). */
  public static final Option<Integer> MAX_QUERY_LENGTH =
      Option.integer("maxQueryLength", "query truncation length in tokens, the end-of-sequence token included (Python's max_query_length)")
          .atLeast(2)
          .defaultValue(128);

  /** Option (upr): {@code sum} (default, as Python) or {@code mean} over the query's tokens. */
  public static final Option<String> LOG_LIKELIHOOD =
      Option.choice("logLikelihood",
              "sum of the query tokens' log-probabilities (as Python's UPRRanker), or their mean (same ranking)",
              "sum", "mean")
          .defaultValue("sum");

  private static final Option<String> DEVICE = CommonOptions.DEVICE.defaultValue("auto")
      .doc("cpu, gpu, gpu:N (or cuda, cuda:N), or auto: the first GPU the engine sees, else the CPU");
  private static final Option<String> DTYPE = CommonOptions.DTYPE.defaultValue("fp32")
      .doc("fp32, fp16 or bf16 (also float32, float16, bfloat16; auto = fp32); the CPU computes in fp32");

  private static final List<Option<?>> CROSS_ENCODER = List.of(
      DEVICE,
      DTYPE,
      CommonOptions.BATCH_SIZE.defaultValue(16).doc("pairs per batch (as Python)"),
      CommonOptions.MAX_LENGTH.atLeast(2)
          .defaultDescribed("model_max_length of tokenizer_config.json, else the model's position limit")
          .doc("truncation length in tokens, special tokens included; capped at the model's position limit"),
      SIGMOID,
      MONOBERT,
      FORMAT,
      CPU_CHUNK_MB,
      RUNTIME,
      QUANTIZE,
      GRAPH_CACHE,
      INTRA_OP_THREADS,
      MEMORY_ARENA);

  private static final List<Option<?>> T5 = List.of(
      DEVICE,
      DTYPE,
      CommonOptions.BATCH_SIZE.defaultValue(32).doc("texts per batch (as Python)"),
      CommonOptions.MAX_LENGTH.atLeast(2).defaultValue(512)
          .doc("truncation length in tokens, the end-of-sequence token included (Python hard-codes 512, whatever model_max_length says)"),
      INPUTS_TEMPLATE,
      TOKEN_FALSE,
      TOKEN_TRUE,
      RETURN_LOGITS);

  private static final List<Option<?>> UPR = List.of(
      DEVICE,
      DTYPE,
      CommonOptions.BATCH_SIZE.defaultValue(16).doc("passages per batch (as Python)"),
      CommonOptions.MAX_LENGTH.atLeast(2).defaultValue(512)
          .doc("passage truncation length in tokens, the end-of-sequence token included (Python's max_input_length)"),
      MAX_QUERY_LENGTH,
      VERBALIZER_HEAD,
      VERBALIZER,
      LOG_LIKELIHOOD);

  @Override
  public String name() {
    return "transformers";
  }

  @Override
  public Set<String> modelTypes() {
    return Set.of("cross-encoder", "t5", "upr");
  }

  @Override
  public List<Option<?>> options(String modelType) {
    return switch (modelType) {
      case "t5" -> T5;
      case "upr" -> UPR;
      default -> CROSS_ENCODER;
    };
  }

  @Override
  public Scorer create(RerankerSpec spec, OptionValues options) {
    return switch (spec.type()) {
      case "t5" -> T5Loader.loadRanker(spec, t5(options));
      case "upr" -> T5Loader.loadUpr(spec, upr(options));
      default -> CrossEncoderLoader.load(spec, crossEncoder(spec.model(), options));
    };
  }

  /** The cross-encoder settings of a load; {@code model} decides monoBERT scoring when the option is unset. */
  static CrossEncoderSettings crossEncoder(String model, OptionValues o) {
    Optional<Integer> maxLength = o.optional(CommonOptions.MAX_LENGTH);
    return new CrossEncoderSettings(
        o.get(CommonOptions.BATCH_SIZE),
        maxLength.map(OptionalInt::of).orElseGet(OptionalInt::empty),
        o.get(SIGMOID),
        o.optional(MONOBERT).orElse(model.toLowerCase(Locale.ROOT).contains("monobert")),
        CheckpointFormat.named(o.get(FORMAT)),
        (long) o.get(CPU_CHUNK_MB) << 20,
        o.get(CommonOptions.DEVICE),
        o.get(CommonOptions.DTYPE),
        graphRuntime(o));
  }

  /** The graph options of a load (for every type that declares {@link #GRAPH_OPTIONS}). */
  public static GraphRuntime graphRuntime(OptionValues o) {
    return new GraphRuntime(o.get(RUNTIME), o.get(QUANTIZE),
        o.optional(GRAPH_CACHE).filter(s -> !s.isBlank()).map(Path::of), o.get(INTRA_OP_THREADS),
        o.get(MEMORY_ARENA));
  }

  static T5Settings t5(OptionValues o) {
    return new T5Settings(
        o.get(CommonOptions.BATCH_SIZE),
        o.get(CommonOptions.MAX_LENGTH),
        InputTemplate.parse(o.get(INPUTS_TEMPLATE), INPUTS_TEMPLATE.key(), TEMPLATE_FIELDS),
        o.get(TOKEN_FALSE),
        o.get(TOKEN_TRUE),
        o.get(RETURN_LOGITS),
        o.get(CommonOptions.DEVICE),
        o.get(CommonOptions.DTYPE));
  }

  static UprSettings upr(OptionValues o) {
    return new UprSettings(
        o.get(CommonOptions.BATCH_SIZE),
        o.get(CommonOptions.MAX_LENGTH),
        o.get(MAX_QUERY_LENGTH),
        o.get(VERBALIZER_HEAD),
        o.get(VERBALIZER),
        o.get(LOG_LIKELIHOOD).equals("mean"),
        o.get(CommonOptions.DEVICE),
        o.get(CommonOptions.DTYPE));
  }

  private static Option<String> token(String key, String doc) {
    return Option.text(key, String.class, v -> {
      if (v.isEmpty()) {
        throw new ConfigException(key + " must be a vocabulary token such as ▁true, a token id, or auto");
      }
      return v;
    }, doc).defaultValue(PredictionTokens.AUTO);
  }

  /** Refuses a template with a missing, unknown or unbalanced field when the options are parsed. */
  private static String checkTemplate(String template) {
    InputTemplate.parse(template, "inputsTemplate", TEMPLATE_FIELDS);
    return template;
  }
}
