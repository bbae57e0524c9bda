package dev.rerankers.transformers.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.rerankers.ConfigException;
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.DjlTelemetry;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.models.ConfigJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A sequence classifier exported by PyTorch: TorchScript ({@code *.pt}, DJL's PyTorch engine) or
 * ONNX ({@code *.onnx}, DJL's OnnxRuntime engine — the project's one ONNX Runtime entry point).
 * Input contract: {@code input_ids}, {@code attention_mask}, and {@code token_type_ids} only when
 * config.json's {@code type_vocab_size} is above 1, all int64 [batch, length]; first output:
 * logits [batch, labels]. config.json gives the labels, vocabulary and position limits.
 */
final class ExportedLogits implements LogitsModel {
  private final Model model;
  private final CheckpointFormat format;
  private final boolean withTypes;
  private final int numLabels;
  private final int vocabSize;
  private final int maxLength;
  private final int typeVocabSize;
  private final String architecture;
  private final String device;

  private ExportedLogits(Model model, CheckpointFormat format, ConfigJson config) {
    this.model = model;
    this.format = format;
    this.typeVocabSize = config.integer("type_vocab_size", 0);
    this.withTypes = typeVocabSize > 1;
    this.numLabels = config.numLabels();
    this.vocabSize = config.integer("vocab_size", Integer.MAX_VALUE);
    int maxPos = config.integer("max_position_embeddings", Integer.MAX_VALUE);
    boolean roberta = List.of("roberta", "xlm-roberta", "camembert").contains(config.modelType());
    this.maxLength = roberta && maxPos != Integer.MAX_VALUE ? maxPos - config.integer("pad_token_id", 1) - 1 : maxPos;
    this.architecture = config.architectures().isEmpty() ? null : config.architectures().get(0);
    this.device = model.getNDManager().getDevice().isGpu() ? "gpu:" + model.getNDManager().getDevice().getDeviceId() : "cpu";
  }

  /** Loads {@code *.pt} (TorchScript) or {@code *.onnx} from the model's files. */
  static ExportedLogits load(CheckpointFormat format, ModelSource source, String deviceOption) {
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    List<String> files = source.files();
    String suffix = format == CheckpointFormat.ONNX ? ".onnx" : ".pt";
    String file = files.contains("model" + suffix) ? "model" + suffix
        : format == CheckpointFormat.ONNX && files.contains("onnx/model.onnx") ? "onnx/model.onnx"
        : files.stream().filter(f -> f.endsWith(suffix)).sorted().findFirst().orElse(null);
    if (file == null) {
      throw new ModelLoadException("model " + source.id() + " has no " + suffix + " file for format " + format);
    }
    Path path = source.file(file);
    String name = path.getFileName().toString();
    name = name.substring(0, name.length() - suffix.length());
    DjlTelemetry.optOut();
    String engineName = format == CheckpointFormat.ONNX ? "OnnxRuntime" : Placement.ENGINE;
    Engine engine;
    try {
      engine = Engine.getEngine(engineName);
    } catch (RuntimeException e) {
      throw new ModelLoadException("format " + format + " needs DJL's " + engineName + " engine"
          + (format == CheckpointFormat.ONNX ? " (add ai.djl.onnxruntime:onnxruntime-engine)" : "") + ": " + e.getMessage(), e);
    }
    Device device = device(engine, deviceOption);
    Model model = Model.newInstance(source.id(), device, engineName);
    try {
      model.load(path.getParent(), name);
      return new ExportedLogits(model, format, config);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ModelLoadException("cannot load the " + format + " model " + path + ": " + e.getMessage(), e);
    }
  }

  private static Device device(Engine engine, String option) {
    String d = option == null ? "auto" : option;
    if (d.equals("cpu") || (d.equals("auto") && engine.getGpuCount() == 0)) {
      return Device.cpu();
    }
    int id = d.startsWith("gpu:") ? Integer.parseInt(d.substring(4)) : 0;
    if (id >= engine.getGpuCount()) {
      throw new ConfigException("device " + option + " requested but " + engine.getEngineName() + " sees "
          + engine.getGpuCount() + " GPU(s)");
    }
    return Device.gpu(id);
  }

  @Override
  public float[] logits(PaddedBatch batch) {
    Shape shape = new Shape(batch.size(), batch.length());
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray ids = scope.create(batch.inputIds(), shape);
      ids.setName("input_ids");
      NDArray mask = scope.create(batch.attentionMask(), shape);
      mask.setName("attention_mask");
      NDList inputs = new NDList(ids, mask);
      if (withTypes) {
        NDArray types = batch.hasTokenTypeIds() ? scope.create(batch.tokenTypeIds(), shape) : scope.zeros(shape, DataType.INT64);
        types.setName("token_type_ids");
        inputs.add(types);
      }
      NDList out = model.getBlock().forward(new ParameterStore(scope, false), inputs, false);
      NDArray logits = out.get(0);
      if (logits.getShape().dimension() != 2 || logits.getShape().get(0) != batch.size()
          || logits.getShape().get(1) != numLabels) {
        throw new InferenceException("the " + format + " model returned " + logits.getShape() + ", expected logits ("
            + batch.size() + ", " + numLabels + ")");
      }
      float[] result = logits.toType(DataType.FLOAT32, false).toFloatArray();
      out.close();
      return result;
    }
  }

  @Override
  public int numLabels() {
    return numLabels;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public int typeVocabSize() {
    return withTypes ? typeVocabSize : 0;
  }

  @Override
  public String format() {
    return format.id();
  }

  @Override
  public String runtime() {
    return format == CheckpointFormat.ONNX ? "onnx" : "torch";
  }

  @Override
  public String architecture() {
    return architecture;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public String dtype() {
    return "fp32";
  }

  @Override
  public void close() {
    model.close();
  }
}
