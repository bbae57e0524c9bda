package dev.rerankers.transformers.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives in a checkpoint: its name, element type, shape and byte range.
 *
 * @param name the checkpoint key, e.g. {@code "bert.encoder.layer.0.attention.self.query.weight"}
 * @param type the element type
 * @param shape the dimensions (empty for a scalar)
 * @param file the file holding it
 * @param offset the absolute byte offset in the file
 * @param byteLength the number of bytes
 */
public record TensorInfo(String name, TensorType type, long[] shape, Path file, long offset, long byteLength) {
  public TensorInfo {
    shape = shape.clone();
  }

  /** The dimensions (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
        && file.equals(t.file) && offset == t.offset && byteLength == t.byteLength;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + type + Arrays.toString(shape);
  }
}
