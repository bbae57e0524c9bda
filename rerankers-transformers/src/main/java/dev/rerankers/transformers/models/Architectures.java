package dev.rerankers.transformers.models;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.ClassificationHead.Pool;
import dev.rerankers.transformers.nn.ClassificationHead;
import dev.rerankers.transformers.nn.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequence-classification architectures this module runs, by the {@code architectures} name
 * in config.json, and the loader that assembles them from a checkpoint; likewise the T5-family
 * encoder-decoders ({@link #loadSeq2Seq}).
 */
public final class Architectures {

  /** Builds a classifier from weights and config; the base prefix is resolved inside. */
  @FunctionalInterface
  interface Factory {
    SequenceClassifier build(Weights w, ConfigJson config, String architecture);
  }

  private static final Map<String, Factory> CLASSIFIERS = classifiers();

  /** The encoder-decoder LM architectures ({@link T5Model}), for the t5 and upr rankers. */
  private static final List<String> SEQ2SEQ = List.of(
      "T5ForConditionalGeneration", "MT5ForConditionalGeneration", "T5WithLMHeadModel");

  private Architectures() {}

  /** The supported {@code architectures} values. */
  public static List<String> supported() {
    return List.copyOf(CLASSIFIERS.keySet());
  }

  /**
   * Loads a model's config.json and safetensors weights as a sequence classifier.
   *
   * @throws ModelLoadException when the architecture is not supported (listing those that are)
   * @throws dev.rerankers.CheckpointException when the weights do not match the config
   */
  public static SequenceClassifier loadClassifier(ModelSource source, Placement placement) {
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    String arch = architecture(config, source.id());
    Weights w = Weights.open(source, placement);
    try {
      SequenceClassifier model = CLASSIFIERS.get(arch).build(w, config, arch);
      w.checkAllUsed();
      return model;
    } catch (RuntimeException e) {
      w.close();
      throw e instanceof ConfigException ce ? config.inFile(ce) : e;
    }
  }

  /**
   * Loads a model's config.json and safetensors weights as a T5-family encoder-decoder with its LM
   * head.
   *
   * @throws ModelLoadException when the architecture is not T5 / mT5 (listing those that are)
   * @throws dev.rerankers.CheckpointException when the weights do not match the config
   */
  public static T5Model loadSeq2Seq(ModelSource source, Placement placement) {
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    String arch = config.architectures().stream().filter(SEQ2SEQ::contains).findFirst().orElseGet(() -> {
      String type = config.modelType();
      // transformers' AutoModelForSeq2SeqLM (Python's T5Ranker) goes by model_type alone
      if (type.equals("t5") || type.equals("mt5")) {
        return type.equals("mt5") ? "MT5ForConditionalGeneration" : "T5ForConditionalGeneration";
      }
      throw new ModelLoadException("model " + source.id() + " declares architectures " + config.architectures()
          + " (model_type '" + type + "'); the t5 and upr rankers run " + String.join(", ", SEQ2SEQ)
          + (type.equals("umt5") || type.equals("longt5") ? " (" + type + " differs in its attention and is not supported)" : ""));
    });
    List<String> files = source.files();
    if (!files.contains("model.safetensors") && !files.contains("model.safetensors.index.json")
        && files.stream().anyMatch(f -> f.startsWith("pytorch_model") && f.endsWith(".bin"))) {
      throw new ModelLoadException("model " + source.id() + " has only PyTorch pickle weights (pytorch_model*.bin), "
          + "which this backend does not read: use a safetensors revision (many Hub repos have a safetensors "
          + "conversion pull request: revision=refs/pr/N), or save it once with save_pretrained(..., "
          + "safe_serialization=True); see docs/t5.md");
    }
    Weights w = Weights.open(source, placement);
    try {
      T5Model model = T5Model.load(w, config, arch);
      w.checkAllUsed();
      return model;
    } catch (RuntimeException e) {
      w.close();
      throw e instanceof ConfigException ce ? config.inFile(ce) : e;
    }
  }

  /**
   * The supported architecture config.json names.
   *
   * @throws ModelLoadException listing the supported ones otherwise
   */
  public static String architecture(ConfigJson config, String model) {
    List<String> archs = config.architectures();
    for (String a : archs) {
      if (CLASSIFIERS.containsKey(a)) {
        return a;
      }
    }
    throw new ModelLoadException("model " + model + " declares architectures " + archs
        + " (model_type '" + config.modelType() + "'); the transformers backend runs "
        + String.join(", ", CLASSIFIERS.keySet())
        + (archs.stream().anyMatch(SEQ2SEQ::contains)
            ? " as cross-encoders; this is a T5 sequence-to-sequence model: use the type 't5' (or 'upr')" : ""));
  }

  private static Map<String, Factory> classifiers() {
    Map<String, Factory> m = new LinkedHashMap<>();
    m.put("BertForSequenceClassification", Architectures::bert);
    m.put("RobertaForSequenceClassification", Architectures::roberta);
    m.put("XLMRobertaForSequenceClassification", Architectures::roberta);
    m.put("CamembertForSequenceClassification", Architectures::roberta);
    m.put("ElectraForSequenceClassification", Architectures::electra);
    m.put("DebertaV2ForSequenceClassification", Architectures::debertaV2);
    m.put("ModernBertForSequenceClassification", Architectures::modernBert);
    return Collections.unmodifiableMap(m);
  }

  private static SequenceClassifier bert(Weights w, ConfigJson json, String arch) {
    BertConfig c = BertConfig.from(json);
    String base = w.basePrefix("embeddings.", "bert.");
    BertModel encoder = BertModel.load(w, base, c);
    long h = c.hiddenSize();
    ClassificationHead head = new ClassificationHead(Pool.FIRST,
        Linear.load(w, base + "pooler.dense", h, h), Activation.TANH, null,
        Linear.load(w, "classifier"));
    checkLabels(head, json, arch);
    return new SequenceClassifier(arch, encoder, head, w);
  }

  private static SequenceClassifier roberta(Weights w, ConfigJson json, String arch) {
    BertConfig c = BertConfig.from(json);
    String base = w.basePrefix("embeddings.", "roberta.", "xlm_roberta.", "camembert.");
    BertModel encoder = BertModel.load(w, base, c);
    // RobertaForSequenceClassification builds its model without pooler: a saved pooler is unused
    w.ignore(k -> k.startsWith(base + "pooler."));
    return new SequenceClassifier(arch, encoder, denseHead(w, c.hiddenSize(), Activation.TANH, json, arch), w);
  }

  private static SequenceClassifier electra(Weights w, ConfigJson json, String arch) {
    BertConfig c = BertConfig.from(json);
    String base = w.basePrefix("embeddings.", "electra.");
    BertModel encoder = BertModel.load(w, base, c);
    return new SequenceClassifier(arch, encoder, denseHead(w, c.hiddenSize(), Activation.GELU, json, arch), w);
  }

  private static SequenceClassifier debertaV2(Weights w, ConfigJson json, String arch) {
    DebertaV2Config c = DebertaV2Config.from(json);
    String base = w.basePrefix("embeddings.", "deberta.");
    DebertaV2Model encoder = DebertaV2Model.load(w, base, c);
    long h = c.hiddenSize();
    ClassificationHead head = new ClassificationHead(Pool.FIRST,
        Linear.load(w, "pooler.dense", h, h), Activation.of(c.poolerHiddenAct()), null,
        Linear.load(w, "classifier"));
    checkLabels(head, json, arch);
    return new SequenceClassifier(arch, encoder, head, w);
  }

  private static SequenceClassifier modernBert(Weights w, ConfigJson json, String arch) {
    ModernBertConfig c = ModernBertConfig.from(json);
    String base = w.basePrefix("embeddings.", "model.");
    ModernBertModel encoder = ModernBertModel.load(w, base, c);
    long h = c.hiddenSize();
    ClassificationHead head = new ClassificationHead(
        c.classifierPooling().equals("mean") ? Pool.MEAN : Pool.FIRST,
        Linear.load(w, "head.dense", h, h), Activation.of(c.classifierActivation()),
        dev.rerankers.transformers.nn.LayerNorm.load(w, "head.norm", h, c.normEps()),
        Linear.load(w, "classifier"));
    checkLabels(head, json, arch);
    return new SequenceClassifier(arch, encoder, head, w);
  }

  /** {@code classifier.dense → act → classifier.out_proj} on the first token. */
  private static ClassificationHead denseHead(Weights w, long h, Activation act, ConfigJson json, String arch) {
    ClassificationHead head = new ClassificationHead(Pool.FIRST,
        Linear.load(w, "classifier.dense", h, h), act, null, Linear.load(w, "classifier.out_proj"));
    checkLabels(head, json, arch);
    return head;
  }

  static void checkLabels(ClassificationHead head, ConfigJson json, String arch) {
    int expected = json.numLabels();
    if (head.numLabels() != expected && (json.raw("id2label") != null || json.has("num_labels"))) {
      throw new dev.rerankers.CheckpointException(arch + " classifier has " + head.numLabels()
          + " outputs but config " + json.source() + " declares " + expected + " labels");
    }
  }
}
