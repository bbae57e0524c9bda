package dev.rerankers.transformers.graph;

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
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.tokenizers.DjlTelemetry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded graph opened in ONNX Runtime through DJL's OnnxRuntime engine (the project's one ONNX
 * Runtime entry point), on the CPU, fed int64 {@code [batch, length]} token inputs by name.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently, so one instance serves every thread;
 * each call's tensors live in their own sub-manager, freed before it returns. {@link #close()}
 * waits for running calls.
 */
public final class GraphSession implements AutoCloseable {
  /** The Maven coordinates of the engine, for messages. */
  public static final String ENGINE_COORDINATES = "ai.djl.onnxruntime:onnxruntime-engine";

  private final String label;
  private final Model model;
  private final List<String> inputs;
  private final CloseGuard guard;

  private GraphSession(String label, Model model, List<String> inputs) {
    this.label = label;
    this.model = model;
    this.inputs = List.copyOf(inputs);
    this.guard = new CloseGuard(label);
  }

  /** A float output copied out of the runtime. */
  public record Output(float[] data, long[] shape) {}

  /** Whether DJL's OnnxRuntime engine is on the class path. */
  public static boolean engineAvailable() {
    try {
      return Engine.hasEngine("OnnxRuntime");
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Opens {@code dir/model.onnx}.
   *
   * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, one per core)
   * @throws ModelLoadException when the engine is missing or ONNX Runtime refuses the graph
   */
  public static GraphSession open(Path dir, int intraOpThreads, String label) {
    DjlTelemetry.optOut();
    if (!engineAvailable()) {
      throw new ModelLoadException("runtime=onnx needs DJL's OnnxRuntime engine: add " + ENGINE_COORDINATES
          + " (the version of the other ai.djl artifacts) to the dependencies, or use runtime=torch");
    }
    Model model = Model.newInstance(label, Device.cpu(), "OnnxRuntime");
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("optLevel", "ALL_OPT");
    options.put("interOpNumThreads", "1");
    if (intraOpThreads > 0) {
      options.put("intraOpNumThreads", Integer.toString(intraOpThreads));
    }
    try {
      model.load(dir, "model", options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ModelLoadException("ONNX Runtime cannot open the graph " + dir.resolve("model.onnx") + " of " + label
          + ": " + rootMessage(e), e);
    }
    List<String> names = new ArrayList<>();
    model.getBlock().describeInput().forEach(p -> names.add(p.getKey()));
    return new GraphSession(label, model, names);
  }

  /** The graph's input names. */
  public List<String> inputs() {
    return inputs;
  }

  /**
   * Runs the graph on int64 {@code [batch, length]} inputs given by name (every graph input must be
   * given) and copies the float outputs out, by name.
   *
   * @throws InferenceException when ONNX Runtime fails
   */
  public Map<String, Output> run(Map<String, long[]> feeds, int batch, int length) {
    return guard.call(() -> {
      try (NDManager scope = model.getNDManager().newSubManager()) {
        Shape shape = new Shape(batch, length);
        NDList in = new NDList(inputs.size());
        for (String name : inputs) {
          long[] data = feeds.get(name);
          if (data == null) {
            throw new IllegalArgumentException("the graph input " + name + " was not given");
          }
          NDArray a = scope.create(data, shape);
          a.setName(name);
          in.add(a);
        }
        NDList out = model.getBlock().forward(new ParameterStore(scope, false), in, false);
        Map<String, Output> result = new LinkedHashMap<>();
        for (NDArray a : out) {
          result.put(a.getName(), new Output(a.toType(DataType.FLOAT32, false).toFloatArray(), a.getShape().getShape()));
        }
        return result;
      } catch (RuntimeException e) {
        throw new InferenceException("ONNX Runtime failed on " + label + " for a batch of " + batch + " x " + length
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
    return "GraphSession[" + label + ", inputs=" + inputs + "]";
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " <- " + c;
  }
}
