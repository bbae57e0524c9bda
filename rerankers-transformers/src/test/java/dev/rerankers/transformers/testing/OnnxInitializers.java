package dev.rerankers.transformers.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model's initializers (weights) and the names of the nodes that consume them, with
 * a minimal protobuf wire-format reader (ModelProto.graph = 7; GraphProto.node = 1, initializer =
 * 5; NodeProto input = 1, name = 3, op_type = 4; TensorProto dims = 1, data_type = 2, name = 8,
 * raw_data = 9). Test code: enough for exporter-written models with raw_data tensors.
 */
public final class OnnxInitializers {
  /** One initializer. */
  public record Tensor(String name, int dataType, long[] dims, byte[] raw) {}

  /** One node: name, op type, inputs. */
  public record Node(String name, String opType, List<String> inputs) {}

  public final Map<String, Tensor> initializers = new LinkedHashMap<>();
  public final List<Node> nodes = new ArrayList<>();

  /** Parses a serialized ModelProto. */
  public static OnnxInitializers parse(byte[] model) {
    OnnxInitializers out = new OnnxInitializers();
    Reader m = new Reader(ByteBuffer.wrap(model));
    while (m.hasMore()) {
      int tag = m.varint32();
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        Reader g = m.sub();
        while (g.hasMore()) {
          int gt = g.varint32();
          if (gt >>> 3 == 1 && (gt & 7) == 2) {
            out.nodes.add(node(g.sub()));
          } else if (gt >>> 3 == 5 && (gt & 7) == 2) {
            Tensor t = tensor(g.sub());
            out.initializers.put(t.name(), t);
          } else {
            g.skip(gt & 7);
          }
        }
      } else {
        m.skip(tag & 7);
      }
    }
    return out;
  }

  /** The float values of an F32 initializer. */
  public static float[] floats(Tensor t) {
    if (t.dataType() != 1) {
      throw new IllegalArgumentException(t.name() + " is not FLOAT");
    }
    ByteBuffer b = ByteBuffer.wrap(t.raw()).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[t.raw().length / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  private static Node node(Reader r) {
    String name = "";
    String op = "";
    List<String> inputs = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      if ((tag & 7) == 2 && (field == 1 || field == 3 || field == 4)) {
        String s = r.string();
        if (field == 1) {
          inputs.add(s);
        } else if (field == 3) {
          name = s;
        } else {
          op = s;
        }
      } else {
        r.skip(tag & 7);
      }
    }
    return new Node(name, op, inputs);
  }

  private static Tensor tensor(Reader r) {
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    byte[] raw = new byte[0];
    while (r.hasMore()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      int wire = tag & 7;
      if (field == 1 && wire == 0) {
        dims.add(r.varint64());
      } else if (field == 1 && wire == 2) {
        Reader packed = r.sub();
        while (packed.hasMore()) {
          dims.add(packed.varint64());
        }
      } else if (field == 2 && wire == 0) {
        type = (int) r.varint64();
      } else if (field == 8 && wire == 2) {
        name = r.string();
      } else if (field == 9 && wire == 2) {
        raw = r.bytes();
      } else {
        r.skip(wire);
      }
    }
    return new Tensor(name, type, dims.stream().mapToLong(Long::longValue).toArray(), raw);
  }

  private static final class Reader {
    private final ByteBuffer b;

    Reader(ByteBuffer b) {
      this.b = b;
    }

    boolean hasMore() {
      return b.hasRemaining();
    }

    long varint64() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b.get();
        result |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    int varint32() {
      return (int) varint64();
    }

    byte[] bytes() {
      int len = Math.toIntExact(varint64());
      byte[] out = new byte[len];
      b.get(out);
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader sub() {
      int len = Math.toIntExact(varint64());
      ByteBuffer slice = b.slice().limit(len);
      b.position(b.position() + len);
      return new Reader(slice);
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint64();
        case 1 -> b.position(b.position() + 8);
        case 2 -> {
          int len = Math.toIntExact(varint64()); // read first: it moves the position
          b.position(b.position() + len);
        }
        case 5 -> b.position(b.position() + 4);
        default -> throw new IllegalArgumentException("unsupported wire type " + wire);
      }
    }
  }
}
