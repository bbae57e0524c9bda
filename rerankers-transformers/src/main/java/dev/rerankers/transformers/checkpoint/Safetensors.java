package dev.rerankers.transformers.checkpoint;

import dev.rerankers.CheckpointException;
import dev.rerankers.json.Json;
import dev.rerankers.json.JsonFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a safetensors file and maps tensors' bytes on demand. The format: an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON ({@code name → {dtype, shape,
 * data_offsets}} plus an optional {@code __metadata__}), then the data. Every field is checked
 * before anything is mapped, so a corrupt or hostile file raises a {@link CheckpointException}
 * naming the file and the problem. Files of any size work; each tensor is mapped separately, and a
 * tensor over 2 GiB (Gemma's 256k-token embedding table in fp32) is mapped in blocks of rows
 * ({@link #map(TensorInfo, long, long)}).
 */
public final class Safetensors {
  /** The reference implementation's limit on the header (100 MB). */
  static final long MAX_HEADER = 100L * 1024 * 1024;

  private Safetensors() {}

  /** The tensors a file declares, in file order. */
  public static Map<String, TensorInfo> readHeader(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw bad(file, "is " + size + " bytes long, too short for the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen < 0 || headerLen > MAX_HEADER) {
        throw bad(file, "declares a header of " + Long.toUnsignedString(headerLen) + " bytes, over the "
            + MAX_HEADER + "-byte limit (not a safetensors file, or a hostile one)");
      }
      if (headerLen < 2 || headerLen > size - 8) {
        throw bad(file, "declares a header of " + headerLen
            + " bytes but the file holds only " + (size - 8) + " after the length field (truncated?)");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      String json;
      try {
        json = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(header.flip()).toString();
      } catch (CharacterCodingException e) {
        throw bad(file, "has a header that is not UTF-8");
      }
      Object parsed;
      try {
        parsed = Json.parse(json.stripTrailing());
      } catch (IllegalArgumentException e) {
        throw bad(file, "has a header that is not valid JSON (" + e.getMessage() + ")");
      }
      if (!(parsed instanceof Map<?, ?> entries)) {
        throw bad(file, "has a header that is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      long dataSize = size - dataStart;
      Map<String, TensorInfo> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : entries.entrySet()) {
        String name = (String) e.getKey();
        if (name.equals("__metadata__")) {
          continue;
        }
        out.put(name, entry(file, name, e.getValue(), dataStart, dataSize));
      }
      checkOverlaps(file, out, dataStart);
      return out;
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Maps one tensor's bytes read-only, little-endian.
   *
   * @throws CheckpointException when the tensor is over 2 GiB or the file changed
   */
  public static ByteBuffer map(TensorInfo t) {
    if (t.byteLength() > Integer.MAX_VALUE) {
      throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " holds " + t.byteLength()
          + " bytes, over the 2 GiB one mapping can hold; map it in blocks of rows");
    }
    return map(t, 0, t.byteLength());
  }

  /**
   * Maps {@code length} bytes of one tensor's data starting {@code from} bytes into it, read-only,
   * little-endian: how a tensor over 2 GiB is read, a block of rows at a time.
   *
   * @throws CheckpointException when the range lies outside the tensor, is over 2 GiB, or the file
   *     changed
   */
  public static ByteBuffer map(TensorInfo t, long from, long length) {
    if (from < 0 || length < 0 || length > Integer.MAX_VALUE || from > t.byteLength() - length) {
      throw new CheckpointException("bytes " + from + ".." + (from + length) + " are not a mappable range of "
          + t.name() + " (" + t.byteLength() + " bytes) in " + t.file());
    }
    try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
      if (t.offset() + t.byteLength() > ch.size()) {
        throw new CheckpointException(t.file() + " is shorter than its header says (did it change while loading?)");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, t.offset() + from, length).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new CheckpointException("cannot map " + t.name() + " from " + t.file() + ": " + e.getMessage(), e);
    }
  }

  private static TensorInfo entry(Path file, String name, Object value, long dataStart, long dataSize) {
    if (!(value instanceof Map<?, ?> m)) {
      throw bad(file, "has a header entry for '" + name + "' that is not an object");
    }
    Object dtype = m.get("dtype");
    TensorType type = dtype instanceof String s ? TensorType.parse(s) : null;
    if (type == null) {
      throw bad(file, "declares tensor '" + name + "' with unknown dtype " + (dtype instanceof String ? dtype : JsonFile.describe(dtype))
          + " (known: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
    }
    if (!(m.get("shape") instanceof List<?> shapeList)) {
      throw bad(file, "declares tensor '" + name + "' without a shape list");
    }
    if (shapeList.size() > 8) {
      throw bad(file, "declares tensor '" + name + "' with " + shapeList.size() + " dimensions");
    }
    long[] shape = new long[shapeList.size()];
    long elements = 1;
    try {
      for (int i = 0; i < shape.length; i++) {
        if (!(shapeList.get(i) instanceof Long d) || d < 0) {
          throw bad(file, "declares tensor '" + name + "' with dimension " + i + " = " + JsonFile.describe(shapeList.get(i))
              + "; allowed: an integer >= 0");
        }
        shape[i] = d;
        elements = Math.multiplyExact(elements, d);
      }
      long bytes = Math.multiplyExact(elements, (long) type.bytes());
      Object offsets = m.get("data_offsets");
      if (offsets == null) {
        throw bad(file, "declares tensor '" + name + "' without data_offsets [begin, end]");
      }
      if (!(offsets instanceof List<?> offs) || offs.size() != 2
          || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
        throw bad(file, "declares tensor '" + name + "' with data_offsets " + describeOffsets(offsets)
            + "; allowed: two integers [begin, end] within the data section's " + dataSize + " bytes");
      }
      if (begin < 0 || end < begin || end > dataSize) {
        throw bad(file, "declares tensor '" + name + "' at bytes [" + begin + ", " + end
            + "), out of the data section's " + dataSize + " bytes");
      }
      if (end - begin != bytes) {
        throw bad(file, "declares tensor '" + name + "' of shape " + java.util.Arrays.toString(shape) + " " + type
            + " (" + bytes + " bytes) over " + (end - begin) + " bytes");
      }
      return new TensorInfo(name, type, shape, file, dataStart + begin, bytes);
    } catch (ArithmeticException e) {
      throw bad(file, "declares tensor '" + name + "' whose size overflows");
    }
  }

  private static void checkOverlaps(Path file, Map<String, TensorInfo> tensors, long dataStart) {
    List<TensorInfo> sorted = new ArrayList<>(tensors.values());
    sorted.sort(Comparator.comparingLong(TensorInfo::offset));
    long previousEnd = dataStart;
    String previous = null;
    for (TensorInfo t : sorted) {
      if (t.byteLength() == 0) {
        continue;
      }
      if (t.offset() < previousEnd) {
        throw bad(file, "declares tensors '" + previous + "' and '" + t.name() + "' over overlapping bytes");
      }
      previousEnd = t.offset() + t.byteLength();
      previous = t.name();
    }
  }

  /** Reads until {@code buf} is full, from {@code position} on. */
  static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private static String describeOffsets(Object offsets) {
    if (offsets instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(o instanceof Long ? o.toString() : JsonFile.describe(o));
      }
      return parts.toString();
    }
    return JsonFile.describe(offsets);
  }

  private static CheckpointException bad(Path file, String what) {
    return new CheckpointException("safetensors file " + file + " " + what);
  }
}
