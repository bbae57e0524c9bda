package dev.rerankers.transformers.graph;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerankers.InferenceException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.tokenizers.DjlTelemetry;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded graph opened in ONNX Runtime on the CPU, fed int64 {@code [batch, length]} token
 * inputs by name. DJL's OnnxRuntime engine is started first and owns the {@code OrtEnvironment}
 * (the project's one ONNX Runtime entry point: an environment created before it would break the
 * engine); the session itself is ONNX Runtime's own Java API, so running a graph needs neither
 * DJL NDArrays nor the PyTorch engine DJL would load for them.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently, so one instance serves every thread;
 * each call's tensors are closed before it returns. {@link #close()} waits for running calls.
 */
public final class GraphSession implements AutoCloseable {
  /** The Maven coordinates of the engine, for messages. */
  public static final String ENGINE_COORDINATES = "ai.djl.onnxruntime:onnxruntime-engine";

  private final String label;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<String> inputs;
  private final CloseGuard guard;

  private GraphSession(String label, OrtEnvironment env, OrtSession session, List<String> inputs) {
    this.label = label;
    this.env = env;
    this.session = session;
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
    return open(dir, intraOpThreads, true, label);
  }

  /**
   * Opens {@code dir/model.onnx}, with or without ONNX Runtime's CPU memory arena. The arena keeps
   * the largest batch's activations (grown in powers of two) for the next batch: faster, but the
   * memory stays reserved; without it, each batch's activations are returned when it ends.
   *
   * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, one per core)
   * @param memoryArena whether to keep the arena (and memory patterns, which need it)
   * @throws ModelLoadException when the engine is missing or ONNX Runtime refuses the graph
   */
  public static GraphSession open(Path dir, int intraOpThreads, boolean memoryArena, String label) {
    DjlTelemetry.optOut();
    if (!engineAvailable()) {
      throw new ModelLoadException("runtime=onnx needs DJL's OnnxRuntime engine: add " + ENGINE_COORDINATES
          + " (the version of the other ai.djl artifacts) to the dependencies, or use runtime=torch");
    }
    OrtEnvironment env;
    try {
      Engine.getEngine("OnnxRuntime"); // creates the environment with DJL's settings
      env = OrtEnvironment.getEnvironment();
    } catch (RuntimeException e) {
      throw new ModelLoadException("DJL's OnnxRuntime engine failed to start: " + rootMessage(e), e);
    }
    Path file = dir.resolve("model.onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setInterOpNumThreads(1);
      if (!memoryArena) {
        options.setCPUArenaAllocator(false);
        options.setMemoryPatternOptimization(false);
      }
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      OrtSession session = env.createSession(file.toString(), options);
      return new GraphSession(label, env, session, new ArrayList<>(session.getInputNames()));
    } catch (OrtException | RuntimeException e) {
      throw new ModelLoadException("ONNX Runtime cannot open the graph " + file + " of " + label + ": " + rootMessage(e), e);
    }
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
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      try {
        long[] shape = {batch, length};
        for (String name : inputs) {
          long[] data = feeds.get(name);
          if (data == null) {
            throw new IllegalArgumentException("the graph input " + name + " was not given");
          }
          in.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
        }
        try (OrtSession.Result result = session.run(in)) {
          Map<String, Output> out = new LinkedHashMap<>();
          for (Map.Entry<String, OnnxValue> e : result) {
            OnnxTensor t = (OnnxTensor) e.getValue();
            FloatBuffer fb = t.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            out.put(e.getKey(), new Output(data, t.getInfo().getShape()));
          }
          return out;
        }
      } catch (OrtException | RuntimeException e) {
        throw new InferenceException("ONNX Runtime failed on " + label + " for a batch of " + batch + " x " + length
            + " tokens: " + rootMessage(e), e);
      } finally {
        in.values().forEach(OnnxTensor::close);
      }
    });
  }

  /** Closes the session. Idempotent; waits for running calls. */
  @Override
  public void close() {
    guard.close(session);
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
