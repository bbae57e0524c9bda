package dev.rerankers.flashrank.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.numeric.HalfFloats;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.tokenizers.DjlTelemetry;
import dev.rerankers.tokenizers.PaddedBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session for a transformer encoder, loaded through DJL's OnnxRuntime engine
 * (the project's one ONNX Runtime entry point), fed {@code input_ids}, {@code attention_mask} and,
 * when the graph declares it, {@code token_type_ids}.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently, so one instance serves every thread;
 * each call allocates its tensors in its own DJL sub-manager and frees them before returning.
 * {@link #close()} waits for running calls.
 */
public final class OnnxModel implements AutoCloseable {
  /** The inputs this class knows how to feed. */
  public static final String INPUT_IDS = "input_ids";
  /** Attention mask input name. */
  public static final String ATTENTION_MASK = "attention_mask";
  /** Segment ids input name. */
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  private final String label;
  private final Path file;
  private final ZooModel<NDList, NDList> model;
  private final Block block;
  private final List<String> inputs;
  private final CloseGuard guard;

  private OnnxModel(String label, Path file, ZooModel<NDList, NDList> model, List<String> inputs) {
    this.label = label;
    this.guard = new CloseGuard(label);
    this.file = file;
    this.model = model;
    this.block = model.getBlock();
    this.inputs = List.copyOf(inputs);
  }

  /** A float tensor copied out of the runtime: row-major data and its shape. */
  public record Output(String name, float[] data, long[] shape) {}

  /**
   * Opens a session on an {@code .onnx} file.
   *
   * @throws ModelLoadException when the file is missing, is not a valid ONNX model, asks for inputs
   *     this ranker cannot feed, or the execution provider is not in this ONNX Runtime build
   */
  public static OnnxModel load(Path file, OnnxSessionSettings options, String label) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("ONNX file " + file + " of " + label + " does not exist");
    }
    DjlTelemetry.optOut();
    skipAlternativeEngine();
    Criteria.Builder<NDList, NDList> b =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(file)
            .optEngine("OnnxRuntime")
            .optTranslator(new NoopTranslator())
            .optDevice(options.gpuId() >= 0 ? Device.gpu(options.gpuId()) : Device.cpu());
    for (Map.Entry<String, String> e : options.criteriaOptions().entrySet()) {
      b.optOption(e.getKey(), e.getValue());
    }
    ZooModel<NDList, NDList> model;
    try {
      model = b.build().loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException e) {
      throw new ModelLoadException("cannot open " + file + " with ONNX Runtime (" + label + "): " + rootMessage(e)
          + hint(options), e);
    } catch (RuntimeException e) {
      throw new ModelLoadException("ONNX Runtime failed to load " + file + " (" + label + ") with "
          + options + ": " + rootMessage(e) + hint(options), e);
    }
    List<String> names = new ArrayList<>();
    model.getBlock().describeInput().forEach(p -> names.add(p.getKey()));
    for (String n : names) {
      if (!KNOWN_INPUTS.contains(n)) {
        model.close();
        throw new ModelLoadException(
            file + " (" + label + ") has the input '" + n + "', which this ranker cannot feed; it feeds "
                + String.join(", ", KNOWN_INPUTS.stream().sorted().toList())
                + ". Export the model with only those inputs (e.g. optimum-cli export onnx)");
      }
    }
    if (!names.contains(INPUT_IDS)) {
      model.close();
      throw new ModelLoadException(file + " (" + label + ") has no input_ids input (inputs: " + names
          + "); it is not a transformer text encoder");
    }
    return new OnnxModel(label, file, model, names);
  }

  /**
   * DJL's OnnxRuntime engine loads PyTorch at model load as its "alternative engine" for NDArray ops
   * ONNX Runtime lacks. This class only creates inputs and runs the graph, so that cost 1.3 s and
   * 100 MB of resident memory per process for nothing (measured: dense's time to first result 2.6 s
   * instead of 4.4 s on a loaded 2-core machine; libtorch no longer mapped). Turned off unless the
   * application set {@code ai.djl.onnx.disable_alternative} itself (then its choice stands).
   */
  private static void skipAlternativeEngine() {
    if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
      System.setProperty(DISABLE_ALTERNATIVE, "true");
    }
  }

  /** DJL's switch for {@link #skipAlternativeEngine}. */
  static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

  /** The graph's input names, in the session's order. */
  public List<String> inputs() {
    return inputs;
  }

  /** Whether the graph takes segment ids. */
  public boolean takesTokenTypeIds() {
    return inputs.contains(TOKEN_TYPE_IDS);
  }

  /** The file the session was created from. */
  public Path file() {
    return file;
  }

  /**
   * Runs the graph on a padded batch and copies one float output.
   *
   * @param batch the batch, already validated against the model's limits
   * @param outputName the output to return when the graph has it (e.g. {@code logits}); else the
   *     first output
   * @throws InferenceException when ONNX Runtime fails
   */
  public Output run(PaddedBatch batch, String outputName) {
    return guard.call(() -> {
      try (NDManager sub = model.getNDManager().newSubManager()) {
        Shape shape = new Shape(batch.size(), batch.length());
        NDList in = new NDList(inputs.size());
        for (String name : inputs) {
          long[] data =
              switch (name) {
                case INPUT_IDS -> batch.inputIds();
                case ATTENTION_MASK -> batch.attentionMask();
                default -> batch.hasTokenTypeIds() ? batch.tokenTypeIds() : new long[batch.size() * batch.length()];
              };
          NDArray a = sub.create(data, shape);
          a.setName(name);
          in.add(a);
        }
        NDList out = block.forward(new ParameterStore(sub, false), in, false);
        NDArray chosen = out.get(0);
        for (NDArray a : out) {
          if (outputName.equals(a.getName())) {
            chosen = a;
            break;
          }
        }
        return new Output(chosen.getName(), toFloats(chosen), chosen.getShape().getShape());
      } catch (InferenceException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InferenceException(
            "ONNX Runtime failed on " + label + " for a batch of " + batch.size() + " x " + batch.length()
                + " tokens: " + rootMessage(e), e);
      }
    });
  }

  /** Closes the session. Idempotent; waits for running calls. */
  @Override
  public void close() {
    guard.close(model);
  }

  @Override
  public String toString() {
    return "OnnxModel[" + label + ", " + file.getFileName() + ", inputs=" + inputs + "]";
  }

  private static float[] toFloats(NDArray a) {
    if (a.getDataType() == DataType.FLOAT32) {
      return a.toFloatArray();
    }
    if (a.getDataType() == DataType.FLOAT16) {
      ByteBuffer bb = a.toByteBuffer().order(ByteOrder.nativeOrder());
      float[] f = new float[bb.remaining() / 2];
      for (int i = 0; i < f.length; i++) {
        f[i] = HalfFloats.fp16ToFloat(bb.getShort());
      }
      return f;
    }
    throw new InferenceException("output " + a.getName() + " has type " + a.getDataType()
        + "; expected float32 or float16 scores/hidden states");
  }

  private static String hint(OnnxSessionSettings options) {
    return options.provider().equals("cpu")
        ? ""
        : " (executionProvider=" + options.provider() + " needs an ONNX Runtime build with that provider on the"
            + " classpath, e.g. com.microsoft.onnxruntime:onnxruntime_gpu for cuda; use executionProvider=cpu otherwise)";
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " <- " + c;
  }
}
