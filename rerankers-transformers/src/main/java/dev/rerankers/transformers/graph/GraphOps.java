package dev.rerankers.transformers.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.rerankers.transformers.graph.OnnxGraph.ElemType;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Ops;
import dev.rerankers.transformers.nn.Rotary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The recorder: {@link Ops} that write each call as ONNX nodes instead of computing it, so running
 * a model's Java code once on symbolic inputs yields its graph. Weights become initializers (read
 * from the blocks' own NDArrays when the graph is written, linear weights stored transposed, as
 * MatMul wants them). ONNX Runtime's fused operators replace the patterns they cover:
 *
 * <ul>
 *   <li>three linear projections of one input fed to {@link #attention} → {@code
 *       com.microsoft.Attention} (one packed QKV GEMM and the attention kernel); other attention →
 *       {@code com.microsoft.MultiHeadAttention} (with {@code attention_bias} when given);
 *   <li>{@link #addLayerNorm} → {@code SkipLayerNormalization}, taking the preceding linear's bias;
 *   <li>GELU after a linear → {@code BiasGelu} ({@code FastGelu} with bias for the tanh form).
 * </ul>
 *
 * Recording is lazy where a fusion may absorb a node: every linear records its MatMul and bias Add,
 * and nodes no output needs are dropped when the graph is written. With {@link Precision#INT8}
 * linear layers become {@code DynamicQuantizeMatMul} on int8 weights quantised here, per output
 * channel, symmetric (activations are quantised by ONNX Runtime per call).
 *
 * <p>Float weights must be fp32 CPU arrays. Not thread-safe: one recording per instance.
 */
public final class GraphOps implements Ops<GraphOps.Value> {
  /** A symbolic value of the graph. */
  public record Value(String name) {}

  /** Weight precision of the linear layers. */
  public enum Precision {
    /** fp32 weights, fp32 MatMul. */
    FP32,
    /** int8 weights, dynamically quantised activations ({@code DynamicQuantizeMatMul}). */
    INT8
  }

  /** What a linear call recorded, so that a consumer can fuse it. */
  private record LinearCall(Value x, NDArray weight, NDArray bias, Value product) {}

  private final OnnxGraph g = new OnnxGraph();
  private final Precision precision;
  private final Map<String, ElemType> types = new HashMap<>();
  private final Map<String, LinearCall> linears = new HashMap<>();
  private final Map<NDArray, String> weightNames = new IdentityHashMap<>();
  private final Map<String, String> derived = new HashMap<>();
  private final Map<String, Value> constants = new HashMap<>();
  /** Static last dimensions where known (linear outputs and what keeps their width). */
  private final Map<String, Long> widths = new HashMap<>();

  /** A recorder for weights of the given precision. */
  public GraphOps(Precision precision) {
    this.precision = precision;
  }

  /** Declares an int64 {@code [batch, sequence]} graph input. */
  public Value input(String name) {
    g.input(name, ElemType.INT64, "batch", "sequence");
    types.put(name, ElemType.INT64);
    return new Value(name);
  }

  /** Declares {@code value} as the float output {@code name}; {@code dims} are Long or String. */
  public void output(String name, Value value, Object... dims) {
    g.node("Identity", "", List.of(value.name()), List.of(name));
    g.output(name, ElemType.FLOAT, dims);
  }

  /** The op types the outputs need, in order ({@code domain.op} for contrib ops). */
  public List<String> liveOps() {
    return g.liveOps();
  }

  /**
   * Writes the graph to {@code file} (initializers beside it in {@code file.data} when they exceed
   * {@code externalAbove} bytes); the weights must still be open. Returns the files written.
   */
  public List<Path> write(Path file, String producerVersion, Map<String, String> metadata, long externalAbove)
      throws IOException {
    return g.write(file, producerVersion, metadata, externalAbove);
  }

  // ---- Ops ----

  @Override
  public Value positions(Value ids) {
    Value len = gather(shape(ids), scalar(1L), 0);
    Value range = op("Range", ElemType.INT64, scalar(0L), len, scalar(1L));
    return unsqueeze(range, 0);
  }

  @Override
  public Value zerosLike(Value ids) {
    return op("Mul", ElemType.INT64, ids, scalar(0L));
  }

  @Override
  public Value notEqual(Value ids, long value) {
    Value eq = op("Equal", ElemType.BOOL, ids, scalar(value));
    return cast(op("Not", ElemType.BOOL, eq), ElemType.INT64);
  }

  @Override
  public Value cumSum(Value x, int axis) {
    return op("CumSum", type(x), x, scalar((long) axis));
  }

  @Override
  public Value add(Value a, Value b) {
    return op("Add", type(a), a, b);
  }

  @Override
  public Value add(Value x, long value) {
    return op("Add", type(x), x, scalar(value));
  }

  @Override
  public Value mul(Value a, Value b) {
    return op("Mul", type(a), a, b);
  }

  @Override
  public Value mul(Value x, float value) {
    return op("Mul", type(x), x, scalar(value));
  }

  @Override
  public Value cast(Value x, DataType type) {
    if (type != DataType.FLOAT32) {
      throw new UnsupportedOperationException("graphs compute in fp32, not " + type);
    }
    return type(x) == ElemType.FLOAT ? x : cast(x, ElemType.FLOAT);
  }

  @Override
  public Value embedding(Value ids, NDArray table) {
    return op("Gather", ElemType.FLOAT, List.of(weight(table), ids.name()), "axis", 0L);
  }

  @Override
  public Value linear(Value x, NDArray weight, NDArray bias) {
    x = x;
    Value product;
    if (precision == Precision.INT8) {
      product = quantisedMatMul(x, List.of(weight), null);
    } else {
      product = op("MatMul", ElemType.FLOAT, List.of(x.name(), transposed(List.of(weight))));
    }
    Value out = bias == null ? product : op("Add", ElemType.FLOAT, List.of(product.name(), weight(bias)));
    linears.put(out.name(), new LinearCall(x, weight, bias, product));
    widths.put(out.name(), weight.getShape().get(0));
    return out;
  }

  @Override
  public Value layerNorm(Value x, NDArray gamma, NDArray beta, float eps) {
    return op("LayerNormalization", ElemType.FLOAT, List.of(x.name(), weight(gamma), weight(beta)),
        "axis", -1L, "epsilon", eps);
  }

  @Override
  public Value addLayerNorm(Value x, Value residual, NDArray gamma, NDArray beta, float eps) {
    LinearCall l = linears.get(x.name());
    List<String> in = l != null && l.bias() != null
        ? List.of(l.product().name(), residual.name(), weight(gamma), weight(beta), weight(l.bias()))
        : List.of(x.name(), residual.name(), weight(gamma), weight(beta));
    return op("SkipLayerNormalization", OnnxGraph.MS, ElemType.FLOAT, in, "epsilon", eps);
  }

  @Override
  public Value activation(Value x, Activation act) {
    LinearCall l = linears.get(x.name());
    boolean biased = l != null && l.bias() != null;
    return switch (act) {
      case GELU -> biased
          ? op("BiasGelu", OnnxGraph.MS, ElemType.FLOAT, List.of(l.product().name(), weight(l.bias())))
          : op("Gelu", OnnxGraph.MS, ElemType.FLOAT, List.of(x.name()));
      case GELU_TANH -> biased
          ? op("FastGelu", OnnxGraph.MS, ElemType.FLOAT, List.of(l.product().name(), weight(l.bias())))
          : op("FastGelu", OnnxGraph.MS, ElemType.FLOAT, List.of(x.name()));
      case RELU -> op("Relu", ElemType.FLOAT, x);
      case TANH -> op("Tanh", ElemType.FLOAT, x);
      case SILU -> op("Mul", ElemType.FLOAT, x, op("Sigmoid", ElemType.FLOAT, x));
    };
  }

  @Override
  public Value paddingMask(Value attentionMask, DataType type) {
    if (type != DataType.FLOAT32) {
      throw new UnsupportedOperationException("graphs compute in fp32, not " + type);
    }
    return cast(attentionMask, ElemType.INT32);
  }

  @Override
  public Value attention(Value q, Value k, Value v, Value bias, Value mask, int heads, float scale) {
    LinearCall lq = linears.get(q.name());
    LinearCall lk = linears.get(k.name());
    LinearCall lv = linears.get(v.name());
    boolean packable = bias == null && type(mask) == ElemType.INT32 && lq != null && lk != null && lv != null
        && lq.x().equals(lk.x()) && lq.x().equals(lv.x());
    if (packable && precision == Precision.FP32) {
      // one [in, 3·out] GEMM inside ONNX Runtime's BERT attention kernel
      String w = transposed(List.of(lq.weight(), lk.weight(), lv.weight()));
      String b = concatenatedBias(lq, lk, lv);
      return op("Attention", OnnxGraph.MS, ElemType.FLOAT, List.of(lq.x().name(), w, b, mask.name()),
          "num_heads", (long) heads, "scale", scale);
    }
    if (packable) {
      // int8: one quantised GEMM for q, k and v, split, then the attention kernel
      long out = lq.weight().getShape().get(0);
      Value qkv = quantisedMatMul(lq.x(), List.of(lq.weight(), lk.weight(), lv.weight()), concatenatedBias(lq, lk, lv));
      List<String> parts = List.of(g.fresh("q"), g.fresh("k"), g.fresh("v"));
      parts.forEach(p -> types.put(p, ElemType.FLOAT));
      g.node("Split", "", List.of(qkv.name(), constant(new long[] {out, out, out}, 3).name()), parts, "axis", -1L);
      q = new Value(parts.get(0));
      k = new Value(parts.get(1));
      v = new Value(parts.get(2));
    }
    boolean additive = type(mask) == ElemType.FLOAT;
    Value attentionBias = additive ? (bias == null ? mask : op("Add", ElemType.FLOAT, bias, mask)) : bias;
    List<String> in = new ArrayList<>(List.of(q.name(), k.name(), v.name(), "", additive ? "" : mask.name()));
    if (attentionBias != null) {
      in.add(attentionBias.name());
    }
    return op("MultiHeadAttention", OnnxGraph.MS, ElemType.FLOAT, in, "num_heads", (long) heads, "scale", scale);
  }

  @Override
  public Value bandMask(Value attentionMask, int halfWindow, DataType type) {
    requireFloat32(type);
    Value len = gather(shape(attentionMask), scalar(1L), 0);
    Value range = op("Range", ElemType.INT64, scalar(0L), len, scalar(1L));
    Value distance = op("Abs", ElemType.INT64, op("Sub", ElemType.INT64, unsqueeze(range, 1), unsqueeze(range, 0)));
    Value band = op("LessOrEqual", ElemType.BOOL, distance, scalar((long) halfWindow));
    Value keys = op("Unsqueeze", ElemType.BOOL, List.of(cast(attentionMask, ElemType.BOOL).name(),
        constant(new long[] {1, 2}, 2).name()));
    Value allowed = op("And", ElemType.BOOL, band, keys);
    return op("Where", ElemType.FLOAT, allowed, scalar(0f), scalar(-Float.MAX_VALUE));
  }

  @Override
  public Value zeroPadding(Value hidden, Value attentionMask) {
    return op("Mul", ElemType.FLOAT, hidden, unsqueeze(cast(attentionMask, ElemType.FLOAT), -1));
  }

  @Override
  public List<Value> split(Value x, int parts) {
    Long width = widths.get(x.name());
    if (width == null || width % parts != 0) {
      throw new UnsupportedOperationException("split needs a known last dimension divisible by " + parts + ": " + width);
    }
    long[] sizes = new long[parts];
    java.util.Arrays.fill(sizes, width / parts);
    List<String> outs = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      String n = g.fresh("split");
      types.put(n, ElemType.FLOAT);
      widths.put(n, width / parts);
      outs.add(n);
      values.add(new Value(n));
    }
    g.node("Split", "", List.of(x.name(), constant(sizes, parts).name()), outs, "axis", -1L);
    return values;
  }

  @Override
  public Value rotary(Value x, int heads, Rotary rotary, int maxPositions) {
    // layers sharing a base share their tables
    String key = "rotary:" + rotary.dim() + ":" + rotary.theta() + ":" + maxPositions;
    String cos = derived.get(key);
    if (cos == null) {
      int half = rotary.dim() / 2;
      cos = g.fresh("rotary.cos");
      String sin = g.fresh("rotary.sin");
      g.initializer(cos, ElemType.FLOAT, new long[] {maxPositions, half}, () -> floats(rotary.halfTables(maxPositions)[0]));
      g.initializer(sin, ElemType.FLOAT, new long[] {maxPositions, half}, () -> floats(rotary.halfTables(maxPositions)[1]));
      derived.put(key, cos);
      derived.put(key + ":sin", sin);
    }
    Value out = op("RotaryEmbedding", OnnxGraph.MS, ElemType.FLOAT,
        List.of(x.name(), constant(new long[] {0}, 1).name(), cos, derived.get(key + ":sin")), "interleaved", 0L);
    widths.put(out.name(), widths.get(x.name()));
    return out;
  }

  @Override
  public Value headsMatMul(Value x, NDArray keys, NDArray keysByHead, int heads) {
    Value split = op("Reshape", ElemType.FLOAT, List.of(x.name(), constant(new long[] {0, 0, heads, -1}, 4).name()));
    Value t = op("Transpose", ElemType.FLOAT, List.of(split.name()), "perm", new long[] {0, 2, 1, 3});
    return op("MatMul", ElemType.FLOAT, List.of(t.name(), headsTransposed(keys, heads)));
  }

  /** keys [1, W, heads·d] as the initializer [1, heads, d, W]. */
  private String headsTransposed(NDArray keys, int heads) {
    String key = "heads:" + System.identityHashCode(keys) + ":" + heads;
    String name = derived.get(key);
    if (name == null) {
      requireFloat32(keys);
      int w = (int) keys.getShape().get(1);
      int hidden = (int) keys.getShape().get(2);
      int d = hidden / heads;
      name = g.fresh(weightName(keys) + ".heads");
      g.initializer(name, ElemType.FLOAT, new long[] {1, heads, d, w}, () -> {
        float[] f = keys.toFloatArray();
        float[] t = new float[f.length];
        for (int p = 0; p < w; p++) {
          for (int h = 0; h < heads; h++) {
            for (int j = 0; j < d; j++) {
              t[(h * d + j) * w + p] = f[p * hidden + h * d + j];
            }
          }
        }
        return floats(t);
      });
      derived.put(key, name);
    }
    return name;
  }

  @Override
  public Value gatherRelative(Value x, long[] index, int radius) {
    if (index.length != 2 * radius + 1) {
      throw new IllegalArgumentException("index of " + index.length + " entries for radius " + radius);
    }
    Value dims = shape(x);
    Value len = gather(dims, scalar(2L), 0);
    Value width = gather(dims, scalar(3L), 0);
    Value range = op("Range", ElemType.INT64, scalar(0L), len, scalar(1L));
    Value rows = unsqueeze(range, 1);
    Value rel = op("Sub", ElemType.INT64, rows, unsqueeze(range, 0));
    Value clipped = op("Clip", ElemType.INT64, rel, scalar((long) -radius), scalar((long) radius));
    Value table = constants.computeIfAbsent("table" + Arrays.hashCode(index) + ":" + radius, k -> {
      String n = g.fresh("relative_index");
      g.initializer(n, ElemType.INT64, new long[] {index.length}, () -> longs(index));
      types.put(n, ElemType.INT64);
      return new Value(n);
    });
    Value picked = gather(table, op("Add", ElemType.INT64, clipped, scalar((long) radius)), 0);
    Value flat = op("Add", ElemType.INT64, op("Mul", ElemType.INT64, rows, width), picked);
    Value rowsFlat = op("Reshape", ElemType.FLOAT, List.of(x.name(), constant(new long[] {0, 0, -1}, 3).name()));
    return gather(rowsFlat, flat, 2);
  }

  @Override
  public Value transposeLast(Value x) {
    return op("Transpose", type(x), List.of(x.name()), "perm", new long[] {0, 1, 3, 2});
  }

  @Override
  public Value l2Normalize(Value x) {
    Value norm = op("ReduceL2", ElemType.FLOAT, List.of(x.name()), "axes", new long[] {-1}, "keepdims", 1L);
    return op("Div", ElemType.FLOAT, x, op("Max", ElemType.FLOAT, norm, scalar(1e-12f)));
  }

  @Override
  public Value firstToken(Value hidden) {
    return gather(hidden, scalar(0L), 1);
  }

  @Override
  public Value meanPool(Value hidden, Value attentionMask) {
    Value m = unsqueeze(cast(attentionMask, ElemType.FLOAT), -1);
    Value axis = constant(new long[] {1}, 1);
    Value sum = op("ReduceSum", ElemType.FLOAT, List.of(op("Mul", ElemType.FLOAT, hidden, m).name(),
        axis.name()), "keepdims", 0L);
    Value count = op("ReduceSum", ElemType.FLOAT, List.of(m.name(), axis.name()), "keepdims", 0L);
    return op("Div", ElemType.FLOAT, sum, count);
  }

  @Override
  public Value layer(Value input, UnaryOperator<Value> step, List<Value> borrowed) {
    return step.apply(input);
  }

  // ---- helpers ----

  private Value quantisedMatMul(Value x, List<NDArray> weights, String bias) {
    String key = "int8:" + names(weights);
    String w = derived.get(key);
    String scaleName = derived.get(key + ":scale");
    if (w == null) {
      float[][] t = transposedData(weights); // [in][out]
      int in = t.length;
      int out = t[0].length;
      float[] scale = new float[out];
      for (int j = 0; j < out; j++) {
        float max = 0;
        for (float[] row : t) {
          max = Math.max(max, Math.abs(row[j]));
        }
        scale[j] = max == 0 ? 1f : max / 127f;
      }
      w = g.fresh(names(weights) + ".int8");
      scaleName = g.fresh(names(weights) + ".scale");
      float[] s = scale;
      g.initializer(w, ElemType.INT8, new long[] {in, out}, () -> {
        ByteBuffer b = ByteBuffer.allocate(in * out);
        for (float[] row : t) {
          for (int j = 0; j < out; j++) {
            b.put((byte) Math.max(-127, Math.min(127, Math.round(row[j] / s[j]))));
          }
        }
        return b.flip();
      });
      g.initializer(scaleName, ElemType.FLOAT, new long[] {out}, () -> floats(s));
      derived.put(key, w);
      derived.put(key + ":scale", scaleName);
    }
    return op("DynamicQuantizeMatMul", OnnxGraph.MS, ElemType.FLOAT,
        List.of(x.name(), w, scaleName, "", bias == null ? "" : bias));
  }

  private String concatenatedBias(LinearCall... calls) {
    List<NDArray> parts = new ArrayList<>();
    long total = 0;
    for (LinearCall c : calls) {
      total += c.weight().getShape().get(0);
      parts.add(c.bias());
    }
    String key = "bias:" + Arrays.stream(calls).map(c -> String.valueOf(System.identityHashCode(c.weight())))
        .reduce("", String::concat);
    String name = derived.get(key);
    if (name == null) {
      name = g.fresh(Arrays.stream(calls).map(c -> c.bias() == null ? "zeros" : weightName(c.bias()))
          .reduce((a, b) -> a + "+" + b).orElse("bias"));
      long n = total;
      g.initializer(name, ElemType.FLOAT, new long[] {n}, () -> {
        ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < calls.length; i++) {
          float[] f = parts.get(i) == null ? new float[(int) calls[i].weight().getShape().get(0)] : parts.get(i).toFloatArray();
          for (float x : f) {
            b.putFloat(x);
          }
        }
        return b.flip();
      });
      derived.put(key, name);
    }
    return name;
  }

  /** The initializer holding {@code array} as stored. */
  private String weight(NDArray array) {
    String name = weightNames.get(array);
    if (name == null) {
      name = g.fresh(weightName(array));
      weightNames.put(array, name);
      requireFloat32(array);
      g.initializer(name, ElemType.FLOAT, array.getShape().getShape(), () -> floats(array.toFloatArray()));
    }
    return name;
  }

  /** The initializer holding {@code weights} ([out_i, in] each) transposed and side by side: [in, Σ out_i]. */
  private String transposed(List<NDArray> weights) {
    String key = "T:" + names(weights) + ids(weights);
    String name = derived.get(key);
    if (name == null) {
      name = g.fresh(names(weights) + ".T");
      long in = weights.get(0).getShape().get(1);
      long out = weights.stream().mapToLong(w -> w.getShape().get(0)).sum();
      weights.forEach(GraphOps::requireFloat32);
      g.initializer(name, ElemType.FLOAT, new long[] {in, out}, () -> {
        float[][] t = transposedData(weights);
        ByteBuffer b = ByteBuffer.allocate((int) (in * out * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : t) {
          for (float f : row) {
            b.putFloat(f);
          }
        }
        return b.flip();
      });
      derived.put(key, name);
    }
    return name;
  }

  private static float[][] transposedData(List<NDArray> weights) {
    int in = (int) weights.get(0).getShape().get(1);
    int out = (int) weights.stream().mapToLong(w -> w.getShape().get(0)).sum();
    float[][] t = new float[in][out];
    int col = 0;
    for (NDArray w : weights) {
      int rows = (int) w.getShape().get(0);
      if (w.getShape().get(1) != in) {
        throw new IllegalArgumentException("packed projections differ in input size: " + w.getShape());
      }
      float[] f = w.toFloatArray();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < in; c++) {
          t[c][col + r] = f[r * in + c];
        }
      }
      col += rows;
    }
    return t;
  }

  private static void requireFloat32(DataType type) {
    if (type != DataType.FLOAT32) {
      throw new UnsupportedOperationException("graphs compute in fp32, not " + type);
    }
  }

  private static ByteBuffer longs(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.flip();
  }

  private static void requireFloat32(NDArray a) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("graph weights must be fp32, " + a.getName() + " is " + a.getDataType());
    }
  }

  private static String weightName(NDArray a) {
    return a.getName() == null || a.getName().isEmpty() ? "weight" : a.getName();
  }

  private String names(List<NDArray> weights) {
    return weights.size() == 1 ? weightName(weights.get(0))
        : weights.stream().map(GraphOps::weightName).reduce((a, b) -> a + "+" + b).orElseThrow();
  }

  private static String ids(List<NDArray> weights) {
    StringBuilder sb = new StringBuilder();
    weights.forEach(w -> sb.append('@').append(System.identityHashCode(w)));
    return sb.toString();
  }

  private static ByteBuffer floats(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) {
      b.putFloat(x);
    }
    return b.flip();
  }

  private Value shape(Value x) {
    return op("Shape", ElemType.INT64, x);
  }

  private Value gather(Value data, Value index, long axis) {
    return op("Gather", type(data), List.of(data.name(), index.name()), "axis", axis);
  }

  private Value unsqueeze(Value x, long axis) {
    return op("Unsqueeze", type(x), List.of(x.name(), constant(new long[] {axis}, 1).name()));
  }

  private Value cast(Value x, ElemType to) {
    return op("Cast", to, List.of(x.name()), "to", (long) to.code);
  }

  private Value scalar(long v) {
    return constants.computeIfAbsent("i" + v, k -> {
      String name = g.fresh("const_" + v);
      g.initializer(name, ElemType.INT64, new long[0], () -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).flip());
      types.put(name, ElemType.INT64);
      return new Value(name);
    });
  }

  private Value scalar(float v) {
    return constants.computeIfAbsent("f" + Float.floatToIntBits(v), k -> {
      String name = g.fresh("const_f");
      g.initializer(name, ElemType.FLOAT, new long[0], () -> floats(new float[] {v}));
      types.put(name, ElemType.FLOAT);
      return new Value(name);
    });
  }

  private Value constant(long[] values, long length) {
    return constants.computeIfAbsent("l" + Arrays.toString(values), k -> {
      String name = g.fresh("const_ints");
      g.initializer(name, ElemType.INT64, new long[] {length}, () -> {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
          b.putLong(v);
        }
        return b.flip();
      });
      types.put(name, ElemType.INT64);
      return new Value(name);
    });
  }

  private ElemType type(Value v) {
    ElemType t = types.get(v.name());
    return t == null ? ElemType.FLOAT : t;
  }

  private Value op(String op, ElemType out, Value... in) {
    return op(op, "", out, Arrays.stream(in).map(Value::name).toList());
  }

  private Value op(String op, ElemType out, List<String> in, Object... attributes) {
    return op(op, "", out, in, attributes);
  }

  private Value op(String op, String domain, ElemType out, List<String> in, Object... attributes) {
    String name = g.fresh(op.toLowerCase(java.util.Locale.ROOT));
    g.node(op, domain, in, List.of(name), attributes);
    types.put(name, out);
    return new Value(name);
  }

}
