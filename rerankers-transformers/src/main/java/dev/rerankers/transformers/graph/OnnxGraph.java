package dev.rerankers.transformers.graph;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An ONNX graph under construction: inputs, nodes in execution order, initializers whose bytes are
 * produced only when written, outputs. {@link #write} drops what the outputs do not need and writes
 * a {@code ModelProto} (IR version 8, opsets {@code ai.onnx} 17 and {@code com.microsoft} 1), with
 * the initializers in an external data file beside it when they are large. Not thread-safe: one
 * recording at a time.
 */
final class OnnxGraph {
  /** ONNX {@code TensorProto.DataType} values used here, with their byte widths. */
  enum ElemType {
    FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), INT32(6, 4), INT64(7, 8), BOOL(9, 1);

    final int code;
    final int bytes;

    ElemType(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }
  }

  /** The IR version ONNX Runtime 1.21 reads (ONNX 1.13+). */
  static final long IR_VERSION = 8;
  static final long OPSET = 17;
  static final String MS = "com.microsoft";
  /** Initializers smaller than this stay inline when the rest goes to external data. */
  static final long EXTERNAL_MIN_BYTES = 4096;

  private record Attribute(String name, Object value) {}

  private record Node(String op, String domain, List<String> inputs, List<String> outputs, List<Attribute> attributes) {}

  private record Initializer(String name, ElemType type, long[] dims, Supplier<ByteBuffer> data) {
    long bytes() {
      long n = type.bytes;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  private record Io(String name, ElemType type, Object[] dims) {}

  private final List<Io> inputs = new ArrayList<>();
  private final List<Io> outputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Initializer> initializers = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();

  /** A fresh value name starting with {@code hint}. */
  String fresh(String hint) {
    String base = hint.replaceAll("[^A-Za-z0-9_.:/-]", "_");
    String name = base;
    while (!names.add(name)) {
      name = base + "_" + counters.merge(base, 1, Integer::sum);
    }
    return name;
  }

  /** Declares a graph input; {@code dims} are Long (fixed) or String (symbolic). */
  void input(String name, ElemType type, Object... dims) {
    names.add(name);
    inputs.add(new Io(name, type, dims));
  }

  /** Declares an existing value as a graph output. */
  void output(String name, ElemType type, Object... dims) {
    outputs.add(new Io(name, type, dims));
  }

  /** Adds an initializer named {@code name} (already reserved or fresh). */
  void initializer(String name, ElemType type, long[] dims, Supplier<ByteBuffer> littleEndianData) {
    names.add(name);
    initializers.put(name, new Initializer(name, type, dims.clone(), littleEndianData));
  }

  boolean hasInitializer(String name) {
    return initializers.containsKey(name);
  }

  /**
   * Adds a node. {@code attributes} alternate name and value: Long, Float, long[], String.
   * Empty input names mean an omitted optional input.
   */
  void node(String op, String domain, List<String> in, List<String> out, Object... attributes) {
    List<Attribute> attrs = new ArrayList<>();
    for (int i = 0; i < attributes.length; i += 2) {
      attrs.add(new Attribute((String) attributes[i], attributes[i + 1]));
    }
    nodes.add(new Node(op, domain, List.copyOf(in), List.copyOf(out), attrs));
  }

  /** The number of nodes the outputs need (after pruning). */
  int liveNodeCount() {
    return live().size();
  }

  /** The op types of the live nodes, in order (for tests). */
  List<String> liveOps() {
    List<String> ops = new ArrayList<>();
    for (Node n : live()) {
      ops.add(n.domain().isEmpty() ? n.op() : n.domain() + "." + n.op());
    }
    return ops;
  }

  /** Bytes of the initializers the outputs need. */
  long liveInitializerBytes() {
    long n = 0;
    for (Initializer i : liveInitializers(live())) {
      n += i.bytes();
    }
    return n;
  }

  /**
   * Writes the model to {@code file}; when the needed initializers exceed {@code externalAbove}
   * bytes they go to {@code file + ".data"} (ONNX external data, offsets aligned to 4 KiB) so that
   * the model stays under protobuf's 2 GiB limit. Returns the files written.
   */
  List<Path> write(Path file, String producerVersion, Map<String, String> metadata, long externalAbove) throws IOException {
    List<Node> live = live();
    List<Initializer> inits = liveInitializers(live);
    long total = 0;
    for (Initializer i : inits) {
      total += i.bytes();
    }
    boolean external = total > externalAbove;
    Path dataFile = file.resolveSibling(file.getFileName() + ".data");
    List<Path> written = new ArrayList<>();
    Proto graph = new Proto();
    for (Node n : live) {
      graph.message(1, node(n));
    }
    graph.string(2, "rerankers");
    if (external) {
      try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        long offset = 0;
        for (Initializer i : inits) {
          if (i.bytes() < EXTERNAL_MIN_BYTES) {
            // small constants (shapes, axes, scalars) stay inline: ONNX Runtime's shape inference reads them
            graph.message(5, tensorHeader(i).bytes(9, i.bytes(), i.data()));
            continue;
          }
          long aligned = (offset + 4095) / 4096 * 4096;
          ch.position(aligned);
          ByteBuffer b = i.data().get();
          long len = b.remaining();
          if (len != i.bytes()) {
            throw new IllegalStateException(i.name() + ": " + len + " bytes, expected " + i.bytes());
          }
          while (b.hasRemaining()) {
            ch.write(b);
          }
          graph.message(5, tensorHeader(i)
              .message(13, entry("location", dataFile.getFileName().toString()))
              .message(13, entry("offset", Long.toString(aligned)))
              .message(13, entry("length", Long.toString(len)))
              .int32(14, 1));
          offset = aligned + len;
        }
      }
      written.add(dataFile);
    } else {
      Files.deleteIfExists(dataFile);
      for (Initializer i : inits) {
        graph.message(5, tensorHeader(i).bytes(9, i.bytes(), i.data()));
      }
    }
    for (Io io : inputs) {
      graph.message(11, valueInfo(io));
    }
    for (Io io : outputs) {
      graph.message(12, valueInfo(io));
    }
    Proto model = new Proto()
        .int64(1, IR_VERSION)
        .string(2, "rerankers-java")
        .string(3, producerVersion)
        .message(7, graph)
        .message(8, new Proto().string(1, "").int64(2, OPSET))
        .message(8, new Proto().string(1, MS).int64(2, 1));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      model.message(14, entry(e.getKey(), e.getValue()));
    }
    if (model.size() > Integer.MAX_VALUE) {
      throw new IOException("the graph is " + model.size() + " bytes, over protobuf's 2 GiB limit");
    }
    try (OutputStream out = Channels.newOutputStream(FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
      CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
      model.writeTo(coded);
      coded.flush();
    }
    written.add(0, file);
    return written;
  }

  private static Proto tensorHeader(Initializer i) {
    Proto t = new Proto();
    for (long d : i.dims()) {
      t.int64(1, d);
    }
    return t.int32(2, i.type().code).string(8, i.name());
  }

  private static Proto entry(String key, String value) {
    return new Proto().string(1, key).string(2, value);
  }

  private static Proto valueInfo(Io io) {
    Proto shape = new Proto();
    for (Object d : io.dims()) {
      shape.message(1, d instanceof String s ? new Proto().string(2, s) : new Proto().int64(1, (Long) d));
    }
    Proto tensor = new Proto().int32(1, io.type().code).message(2, shape);
    return new Proto().string(1, io.name()).message(2, new Proto().message(1, tensor));
  }

  private static Proto node(Node n) {
    Proto p = new Proto();
    for (String in : n.inputs()) {
      p.string(1, in);
    }
    for (String out : n.outputs()) {
      p.string(2, out);
    }
    p.string(3, n.outputs().get(0) + ":" + n.op());
    p.string(4, n.op());
    for (Attribute a : n.attributes()) {
      Proto attr = new Proto().string(1, a.name());
      Object v = a.value();
      if (v instanceof Float f) {
        attr.float32(2, f).int32(20, 1);
      } else if (v instanceof Long l) {
        attr.int64(3, l).int32(20, 2);
      } else if (v instanceof Integer i) {
        attr.int64(3, i).int32(20, 2);
      } else if (v instanceof String s) {
        attr.string(4, s).int32(20, 3);
      } else if (v instanceof long[] ls) {
        for (long l : ls) {
          attr.int64(8, l);
        }
        attr.int32(20, 7);
      } else {
        throw new IllegalArgumentException("attribute " + a.name() + " of " + n.op() + ": unsupported " + v);
      }
      p.message(5, attr);
    }
    if (!n.domain().isEmpty()) {
      p.string(7, n.domain());
    }
    return p;
  }

  /** The nodes the outputs depend on, in recording order. */
  private List<Node> live() {
    Map<String, Node> producer = new HashMap<>();
    for (Node n : nodes) {
      for (String o : n.outputs()) {
        producer.put(o, n);
      }
    }
    Set<Node> needed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Deque<String> todo = new ArrayDeque<>();
    outputs.forEach(o -> todo.add(o.name()));
    while (!todo.isEmpty()) {
      Node n = producer.get(todo.pop());
      if (n != null && needed.add(n)) {
        n.inputs().stream().filter(s -> !s.isEmpty()).forEach(todo::add);
      }
    }
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) {
      if (needed.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private List<Initializer> liveInitializers(List<Node> live) {
    Set<String> used = new HashSet<>();
    live.forEach(n -> used.addAll(n.inputs()));
    List<Initializer> out = new ArrayList<>();
    for (Initializer i : initializers.values()) {
      if (used.contains(i.name())) {
        out.add(i);
      }
    }
    return out;
  }
}
