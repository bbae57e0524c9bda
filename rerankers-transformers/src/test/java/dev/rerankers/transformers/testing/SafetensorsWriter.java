package dev.rerankers.transformers.testing;

import dev.rerankers.json.Json;
import dev.rerankers.testing.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes safetensors files in tests (F32, F16, BF16), and raw headers for hostile-file tests. */
public final class SafetensorsWriter {
  /** One tensor to write: name, dtype string, shape, little-endian bytes. */
  public record Tensor(String name, String dtype, long[] shape, byte[] data) {}

  private final List<Tensor> tensors = new ArrayList<>();

  /** Adds an F32 tensor. */
  public SafetensorsWriter f32(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    tensors.add(new Tensor(name, "F32", shape, b.array()));
    return this;
  }

  /** Adds a BF16 tensor (values truncated to bfloat16 by rounding to nearest even). */
  public SafetensorsWriter bf16(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      int bits = Float.floatToRawIntBits(v);
      int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
      b.putShort((short) (rounded >>> 16));
    }
    tensors.add(new Tensor(name, "BF16", shape, b.array()));
    return this;
  }

  /** Adds an F16 tensor from raw half-precision bits. */
  public SafetensorsWriter f16Bits(String name, long[] shape, short[] bits) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : bits) {
      b.putShort(s);
    }
    tensors.add(new Tensor(name, "F16", shape, b.array()));
    return this;
  }

  /** Adds any tensor. */
  public SafetensorsWriter add(Tensor t) {
    tensors.add(t);
    return this;
  }

  /** Writes the file. */
  public void write(Path file) throws IOException {
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Tensor t : tensors) {
      header.append(',').append(Json.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype())
          .append("\",\"shape\":").append(shape(t.shape())).append(",\"data_offsets\":[")
          .append(offset).append(',').append(offset + t.data().length).append("]}");
      offset += t.data().length;
    }
    header.append('}');
    while ((header.length() + 8) % 8 != 0) {
      header.append(' ');
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      out.write(h);
      for (Tensor t : tensors) {
        out.write(t.data());
      }
    }
  }

  /** Writes a file with a hand-made header and data section. */
  public static void raw(Path file, long declaredHeaderLength, String header, int dataBytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredHeaderLength).array());
      out.write(header.getBytes(StandardCharsets.UTF_8));
      out.write(new byte[dataBytes]);
    }
  }

  /** Reads every tensor of a safetensors file as F32 values with shapes (test-side reader). */
  public static Map<String, Map.Entry<long[], float[]>> readF32(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) b.getLong(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) Json.parse(new String(all, 8, n, StandardCharsets.UTF_8).strip());
    Map<String, Map.Entry<long[], float[]>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> t = (Map<String, Object>) e.getValue();
      long[] shape = TestFiles.longs(t.get("shape"));
      long[] offs = TestFiles.longs(t.get("data_offsets"));
      float[] v = new float[(int) ((offs[1] - offs[0]) / 4)];
      for (int i = 0; i < v.length; i++) {
        v[i] = b.getFloat((int) (8 + n + offs[0] + 4L * i));
      }
      out.put(e.getKey(), Map.entry(shape, v));
    }
    return out;
  }

  private static String shape(long[] s) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < s.length; i++) {
      sb.append(i == 0 ? "" : ",").append(s[i]);
    }
    return sb.append(']').toString();
  }
}
