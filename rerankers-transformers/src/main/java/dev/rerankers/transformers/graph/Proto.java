package dev.rerankers.transformers.graph;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One protobuf message assembled field by field and written with protobuf-java's {@link
 * CodedOutputStream} (the wire format is the library's; only the field numbers are ours, from
 * onnx.proto). Sizes are computed before writing, so a message streams to a file without being
 * copied into one large array; large byte fields are produced only while they are written.
 * Repeated scalars are written unpacked, onnx.proto being proto2.
 */
final class Proto {
  private interface Field {
    long size();

    void write(CodedOutputStream out) throws IOException;
  }

  private final List<Field> fields = new ArrayList<>();
  private long size = -1;

  Proto int64(int number, long value) {
    return add(new Field() {
      public long size() {
        return CodedOutputStream.computeInt64Size(number, value);
      }

      public void write(CodedOutputStream out) throws IOException {
        out.writeInt64(number, value);
      }
    });
  }

  Proto int32(int number, int value) {
    return add(new Field() {
      public long size() {
        return CodedOutputStream.computeInt32Size(number, value);
      }

      public void write(CodedOutputStream out) throws IOException {
        out.writeInt32(number, value);
      }
    });
  }

  Proto float32(int number, float value) {
    return add(new Field() {
      public long size() {
        return CodedOutputStream.computeFloatSize(number, value);
      }

      public void write(CodedOutputStream out) throws IOException {
        out.writeFloat(number, value);
      }
    });
  }

  Proto string(int number, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return bytes(number, utf8.length, () -> ByteBuffer.wrap(utf8));
  }

  Proto message(int number, Proto message) {
    return add(new Field() {
      public long size() {
        long n = message.size();
        return CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt64SizeNoTag(n) + n;
      }

      public void write(CodedOutputStream out) throws IOException {
        out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt64NoTag(message.size());
        message.writeTo(out);
      }
    });
  }

  /** A length-delimited field of {@code length} bytes made by {@code data} only when written. */
  Proto bytes(int number, long length, Supplier<ByteBuffer> data) {
    return add(new Field() {
      public long size() {
        return CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt64SizeNoTag(length) + length;
      }

      public void write(CodedOutputStream out) throws IOException {
        ByteBuffer b = data.get();
        if (b.remaining() != length) {
          throw new IllegalStateException("field " + number + " promised " + length + " bytes, got " + b.remaining());
        }
        out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt64NoTag(length);
        out.writeRawBytes(b);
      }
    });
  }

  /** The encoded size in bytes. */
  long size() {
    if (size < 0) {
      long n = 0;
      for (Field f : fields) {
        n += f.size();
      }
      size = n;
    }
    return size;
  }

  void writeTo(CodedOutputStream out) throws IOException {
    for (Field f : fields) {
      f.write(out);
    }
  }

  private Proto add(Field f) {
    fields.add(f);
    size = -1;
    return this;
  }
}
